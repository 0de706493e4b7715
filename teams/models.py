"""Who takes part: municipalities, partner organisations, people and the bodies they sit in."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from drivkraft.core.reversing import slug_url

# Kartverket's administrative units, as data.norge.no's reference data names a municipality:
# this prefix and the four-digit kommunenummer.
ADMINISTRATIVE_UNIT_PREFIX = "https://data.geonorge.no/administrativeEnheter/kommune/id/"


class Region(models.TextChoices):
    SOR_TROMS = "sor-troms", _("Sør-Troms")
    OFOTEN = "ofoten", _("Ofoten")


class Municipality(models.Model):
    name = models.CharField(_("navn"), max_length=100, unique=True)
    slug = models.SlugField(_("kortnavn i adresser"), max_length=100, unique=True)
    number = models.CharField(
        _("kommunenummer"),
        max_length=4,
        blank=True,
        # A database default: the version still running during a deploy inserts without it.
        db_default="",
        validators=[RegexValidator(r"^[0-9]{4}$", _("Kommunenummeret har fire sifre."))],
        help_text=_(
            "Fire sifre, som i SSBs kommuneliste (for eksempel 5503 for Harstad fra 2024). "
            "Brukes i katalogen over åpne data."
        ),
    )
    sami_name = models.CharField(
        _("samisk navn"), max_length=100, blank=True, help_text=_("For tospråklige kommuner.")
    )
    region = models.CharField(_("region"), max_length=20, choices=Region)
    joined = models.DateField(
        _("med i programmet fra"), help_text=_("Datoen kommunen ble med i samarbeidet.")
    )
    website = models.URLField(_("nettsted"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        # The page shows the municipality's measures, so the plan's app serves it.
        return slug_url("measures:municipality_detail", self.slug)

    @property
    def administrative_unit_uri(self) -> str:
        """Kartverket's URI of the municipality as an administrative unit, by its number, as
        Digdir's reference data for data.norge.no names it; empty without a number."""
        if not self.number:
            return ""
        return f"{ADMINISTRATIVE_UNIT_PREFIX}{self.number}"


class OrganisationKind(models.TextChoices):
    REGIONAL_COUNCIL = "regionrad", _("Regionråd")
    MUNICIPALITY = "kommune", _("Kommune")
    COUNTY = "fylkeskommune", _("Fylkeskommune")
    RESEARCH = "forskning", _("Universitet og forskning")
    TOURISM = "reiseliv", _("Reiseliv")
    BUSINESS = "naringsliv", _("Næringsliv og næringsforeninger")
    PUBLIC_AGENCY = "statlig", _("Statlig virksomhet")
    OTHER = "annet", _("Annet")


class Organisation(models.Model):
    name = models.CharField(_("navn"), max_length=200, unique=True)
    slug = models.SlugField(_("kortnavn i adresser"), max_length=200, unique=True)
    short_name = models.CharField(_("kortnavn"), max_length=50, blank=True)
    kind = models.CharField(
        _("type"), max_length=20, choices=OrganisationKind, default=OrganisationKind.OTHER
    )
    website = models.URLField(_("nettsted"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisasjon")
        verbose_name_plural = _("organisasjoner")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    name = models.CharField(_("navn"), max_length=200)
    title = models.CharField(_("stilling"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisasjon"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        help_text=_("Kommunen personen representerer, om noen."),
    )
    email = models.EmailField(
        _("offentlig e-post"), blank=True, help_text=_("Vises på de offentlige sidene.")
    )
    phone = models.CharField(
        _("offentlig telefon"),
        max_length=30,
        blank=True,
        help_text=_("Vises på de offentlige sidene."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("innlogging"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        help_text=_("Brukerkontoen personen logger inn med i administrasjonen."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def organisation_not_in_title(self) -> str:
        """The organisation's name, unless the title already names it («Daglig leder,
        Hålogalandsrådet»): the pages print it once."""
        if self.organisation is None or self.organisation.name in self.title:
            return ""
        return self.organisation.name


class BodyKind(models.TextChoices):
    STEERING_GROUP = "styringsgruppe", _("Styringsgruppe")
    PROJECT_MANAGEMENT = "prosjektledelse", _("Prosjektledelse")
    BUSINESS_TEAM = "naeringsteam", _("Næringsteamet")
    YOUTH_COUNCIL = "ungdomsrad", _("Ungdomsråd")


class Body(models.Model):
    name = models.CharField(_("navn"), max_length=200)
    slug = models.SlugField(_("kortnavn i adresser"), max_length=100, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=BodyKind, unique=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)
    members = models.ManyToManyField(
        Person, through="Membership", related_name="bodies", verbose_name=_("medlemmer")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organ")
        verbose_name_plural = _("organer")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    body = models.ForeignKey(
        Body, verbose_name=_("organ"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("rolle"), max_length=100, help_text=_("For eksempel «Leder» eller «Medlem».")
    )
    start = models.DateField(_("fra"), null=True, blank=True)
    end = models.DateField(_("til"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        ordering = ["body", "order", "person__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="membership_end_after_start",
                violation_error_message=_("Sluttdatoen kan ikke være før startdatoen."),
            ),
            models.UniqueConstraint(
                fields=["person", "body", "role", "start"],
                name="membership_unique_person_body_role",
                violation_error_message=_(
                    "Personen har allerede denne rollen i organet fra den datoen."
                ),
            ),
            # Two empty start dates are not equal in SQL, so the undated case needs its own rule.
            models.UniqueConstraint(
                fields=["person", "body", "role"],
                condition=Q(start__isnull=True),
                name="membership_unique_undated",
                violation_error_message=_("Personen har allerede denne rollen i organet."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.role}, {self.body}"
