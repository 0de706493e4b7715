"""The one model of the infrastructure: the revision of the public content."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ContentRevision(models.Model):
    """One row counting changes to anything the public pages show.

    Public pages derive their ETag, Last-Modified and cache keys from it, so a change saved on one
    app server is seen at once by every other server that shares the database. The domain apps
    connect their public models to it (`drivkraft.core.revision.connect_signals`).
    """

    number = models.PositiveBigIntegerField(_("revisjon"), default=1)
    changed_at = models.DateTimeField(_("sist endret"), default=timezone.now)

    class Meta:
        # The table was made when the model lived in `measures`; it moved without a copy.
        db_table = "measures_contentrevision"
        verbose_name = _("innholdsrevisjon")
        verbose_name_plural = _("innholdsrevisjoner")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="contentrevision_single_row"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
