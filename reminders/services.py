"""Sending the reminders and pausing them: every write of the app."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import mailers
from django.db import transaction
from django.utils import timezone

from reminders.mail import digest_message
from reminders.models import ReminderPreference, ReminderSent
from reminders.selectors import Digest, digests

logger = logging.getLogger(__name__)


@dataclass
class SendResult:
    sent: list[str]  # addresses
    failed: list[str]


def reminders_send(*, today: dt.date | None = None, now: dt.datetime | None = None) -> SendResult:
    """Send every reminder that is due (`reminders.selectors.digests`).

    Guarantees: at most one reminder per person per `REMINDER_INTERVAL_DAYS`, also when two runs
    overlap (each person's check, send and record happen under a lock of their user row); a mail
    is recorded (`ReminderSent`) only once the mail server has taken it, so a failure is logged
    and tried again on the next run; one failure does not stop the others.
    """
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    result = SendResult(sent=[], failed=[])
    due = digests(today=today, now=now)
    if not due:
        return result
    for digest in due:
        try:
            if _send_one(digest, now=now):
                result.sent.append(digest.user.email)
        except Exception:
            # Whatever the mail server or the network did: this person is tried again next run.
            logger.exception("Reminder to user %s could not be sent", digest.user.pk)
            result.failed.append(digest.user.email)
    return result


def _send_one(digest: Digest, *, now: dt.datetime) -> bool:
    since = now - dt.timedelta(days=settings.REMINDER_INTERVAL_DAYS)
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=digest.user.pk).first()
        if ReminderSent.objects.filter(recipient=digest.user, sent_at__gt=since).exists():
            return False  # another run sent it meanwhile
        if ReminderPreference.objects.filter(user=digest.user, paused=True).exists():
            return False
        if mailers.default.send_messages([digest_message(digest)]) != 1:
            raise RuntimeError("the mail backend took no message")
        ReminderSent.objects.create(
            recipient=digest.user,
            email=digest.user.email,
            kind=digest.kind,
            sent_at=now,
            items=digest.record(),
        )
    logger.info("Reminder sent to user %s (%s)", digest.user.pk, digest.kind)
    return True


def reminder_preference_set(*, user: Any, paused: bool) -> ReminderPreference:
    """Pause the user's reminders, or turn them on again. Idempotent."""
    preference, _created = ReminderPreference.objects.update_or_create(
        user=user, defaults={"paused": paused}
    )
    logger.info("Reminders %s for user %s", "paused" if paused else "resumed", user.pk)
    return preference
