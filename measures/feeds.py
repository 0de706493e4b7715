"""Atom feeds of status updates: all of them, and per focus area, municipality and measure (whose
feed has its decisions and milestones too).

Every feed and entry id is a `tag:` URI (RFC 4151) under `settings.FEED_ID_PREFIX`: absolute IRIs
(RFC 4287 §4.2.6) that stay the same whatever host name the feed was fetched under, and if the
site ever moves. Feed ids name the language too (the English feed is another document); an entry
is the same status update in either.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from drivkraft.core.context_processors import content_lang_attr
from measures.extensions import FeedEntry, measure_feed_entries
from measures.models import Decision, FocusArea, Measure, Milestone, StatusUpdate
from measures.status import Status
from teams.models import Municipality

FEED_SIZE = 50


def tag_uri(path: str) -> str:
    """A permanent id: `tag:<authority>,<date>:drivkraft/<path>`."""
    return f"{settings.FEED_ID_PREFIX}/{path}"


def feed_tag_uri(path: str) -> str:
    """A feed's id, in the language it is served in (the default language adds nothing)."""
    language = get_language() or settings.LANGUAGE_CODE
    suffix = "" if language == settings.LANGUAGE_CODE else f"/{language}"
    return tag_uri(f"{path}{suffix}")


class _StatusUpdatesFeed[O](Feed[StatusUpdate | FeedEntry, O]):
    """The entries of every feed; each feed says which updates (for which object `O`). A
    measure's feed also holds what later apps add (`FeedEntry`, measures/extensions.py)."""

    feed_type = Atom1Feed

    def subtitle(self) -> str:
        return _("Alle statusoppdateringer for tiltakene i Program Drivkraft.")

    def item_title(self, item: StatusUpdate | FeedEntry) -> str:
        if isinstance(item, FeedEntry):
            return item.title
        if item.previous_status and item.previous_status != item.status:
            return _("%(measure)s: %(old)s → %(new)s") % {
                "measure": item.measure.title,
                "old": Status(item.previous_status).label,
                "new": Status(item.status).label,
            }
        return _("%(measure)s: %(status)s, %(progress)s %%") % {
            "measure": item.measure.title,
            "status": Status(item.status).label,
            "progress": item.progress,
        }

    def item_description(self, item: StatusUpdate | FeedEntry) -> str:
        if isinstance(item, FeedEntry):
            return item.description
        # Atom declares the summary as HTML, so user text is escaped into HTML here; the
        # syndication framework then escapes that once more for the XML. The comment is in
        # Norwegian even in the English feed, which the HTML can say (Atom's text titles cannot).
        status = _("Status: %(status)s. Framdrift: %(progress)s %%.") % {
            "status": Status(item.status).label,
            "progress": item.progress,
        }
        html = f"<p>{escape(status)}</p>"
        if item.comment:
            html += f"<p{content_lang_attr()}>{linebreaksbr(escape(item.comment))}</p>"
        return html

    def item_link(self, item: StatusUpdate | FeedEntry) -> str:
        if isinstance(item, FeedEntry):
            return item.link
        return f"{item.measure.get_absolute_url()}#oppdatering-{item.pk}"

    def item_guid(self, item: StatusUpdate | FeedEntry) -> str:
        if isinstance(item, FeedEntry):
            return item.guid
        return tag_uri(f"statusoppdatering/{item.pk}")

    item_guid_is_permalink = False

    def item_pubdate(self, item: StatusUpdate | FeedEntry) -> dt.datetime:
        if isinstance(item, FeedEntry):
            return item.published
        return dt.datetime.combine(item.date, dt.time(12), tzinfo=timezone.get_current_timezone())

    def item_updateddate(self, item: StatusUpdate | FeedEntry) -> dt.datetime:
        if isinstance(item, FeedEntry):
            return item.updated
        return item.created_at

    def item_author_name(self, item: StatusUpdate | FeedEntry) -> str | None:
        if isinstance(item, FeedEntry):
            return item.author_name
        return item.author_name or None


class LatestUpdatesFeed(_StatusUpdatesFeed[None]):
    def feed_guid(self) -> str:
        return feed_tag_uri("statusoppdateringer")

    def title(self) -> str:
        return _("Program Drivkraft – statusoppdateringer")

    def link(self) -> str:
        return reverse("measures:update_list")

    def items(self) -> QuerySet[StatusUpdate]:
        return StatusUpdate.objects.public()[:FEED_SIZE]


class FocusAreaFeed(_StatusUpdatesFeed[FocusArea]):
    def get_object(self, request: HttpRequest, slug: str) -> FocusArea:
        return get_object_or_404(FocusArea, slug=slug)

    def feed_guid(self, obj: FocusArea) -> str:
        return feed_tag_uri(f"satsingsomrade/{obj.pk}/statusoppdateringer")

    def title(self, obj: FocusArea) -> str:
        return _("Program Drivkraft – %(name)s") % {"name": obj.name}

    def link(self, obj: FocusArea) -> str:
        return obj.get_absolute_url()

    def items(self, obj: FocusArea) -> QuerySet[StatusUpdate]:
        return StatusUpdate.objects.public().filter(measure__focus_area=obj)[:FEED_SIZE]


class MunicipalityFeed(_StatusUpdatesFeed[Municipality]):
    def get_object(self, request: HttpRequest, slug: str) -> Municipality:
        return get_object_or_404(Municipality, slug=slug)

    def feed_guid(self, obj: Municipality) -> str:
        return feed_tag_uri(f"kommune/{obj.pk}/statusoppdateringer")

    def title(self, obj: Municipality) -> str:
        return _("Program Drivkraft – tiltak i %(name)s") % {"name": obj.name}

    def link(self, obj: Municipality) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Municipality) -> QuerySet[StatusUpdate]:
        return StatusUpdate.objects.public().filter(measure__municipalities=obj)[:FEED_SIZE]


# A measure's feed has its milestones and the steering group's decisions too.
MeasureEntry = StatusUpdate | Decision | Milestone | FeedEntry


def _noon(date: dt.date) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(12), tzinfo=timezone.get_current_timezone())


class MeasureFeed(_StatusUpdatesFeed[Measure]):
    """The measure's status updates, its recorded decisions, its reached milestones and those
    that are late (dated the day after their due date, the day they became late)."""

    def get_object(self, request: HttpRequest, slug: str) -> Measure:
        measure = Measure.objects.public().filter(slug=slug).first()
        if measure is None:
            raise Http404(_("Fant ikke tiltaket."))
        return measure

    def feed_guid(self, obj: Measure) -> str:
        return feed_tag_uri(f"tiltak/{obj.pk}/statusoppdateringer")

    def title(self, obj: Measure) -> str:
        return _("Program Drivkraft – %(title)s") % {"title": obj.title}

    def link(self, obj: Measure) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Measure) -> list[MeasureEntry]:
        today = timezone.localdate()
        updates = list(StatusUpdate.objects.public().filter(measure=obj)[:FEED_SIZE])
        decisions = list(obj.decisions.decided().order_by("-decided_on", "-pk")[:FEED_SIZE])
        reached = obj.milestones.filter(completed_on__isnull=False)
        late = obj.milestones.late(today)
        milestones = list((reached | late).order_by("-pk")[: FEED_SIZE * 2])
        for decision in decisions:  # the measure is known: the titles need no query for it
            decision.measure = obj
        for milestone in milestones:
            milestone.measure = obj
        # What later apps add (approved public input: measures/extensions.py).
        entries: list[MeasureEntry] = [
            *updates,
            *decisions,
            *milestones,
            *measure_feed_entries(obj),
        ]
        entries.sort(key=self.item_pubdate, reverse=True)
        return entries[:FEED_SIZE]

    def item_title(self, item: MeasureEntry) -> str:
        if isinstance(item, Decision):
            return _("%(measure)s: beslutning i styringsgruppen") % {"measure": item.measure.title}
        if isinstance(item, Milestone):
            template = (
                _("%(measure)s: milepæl nådd – %(title)s")
                if item.completed_on
                else _("%(measure)s: milepæl forsinket – %(title)s")
            )
            return template % {"measure": item.measure.title, "title": item.title}
        return super().item_title(item)

    def item_description(self, item: MeasureEntry) -> str:
        lang = content_lang_attr()
        if isinstance(item, Decision):
            return (
                f"<p>{escape(_('Spørsmål:'))} <span{lang}>{linebreaksbr(escape(item.question))}"
                f"</span></p><p>{escape(_('Beslutning:'))} "
                f"<span{lang}>{linebreaksbr(escape(item.decision))}</span></p>"
            )
        if isinstance(item, Milestone):
            due = item.due_date.strftime("%d.%m.%Y")
            if item.completed_on:
                text = _("Nådd %(done)s (frist %(due)s).") % {
                    "done": item.completed_on.strftime("%d.%m.%Y"),
                    "due": due,
                }
            else:
                text = _("Forsinket: fristen var %(due)s, og milepælen er ikke nådd.") % {
                    "due": due
                }
            return f"<p{lang}>{escape(item.title)}</p><p>{escape(text)}</p>"
        return super().item_description(item)

    def item_link(self, item: MeasureEntry) -> str:
        if isinstance(item, Decision):
            return f"{item.measure.get_absolute_url()}#beslutning-{item.pk}"
        if isinstance(item, Milestone):
            return f"{item.measure.get_absolute_url()}#milepaeler"
        return super().item_link(item)

    def item_guid(self, item: MeasureEntry) -> str:
        if isinstance(item, Decision):
            return tag_uri(f"beslutning/{item.pk}")
        if isinstance(item, Milestone):
            kind = "nadd" if item.completed_on else "forsinket"
            return tag_uri(f"milepael/{item.pk}/{kind}")
        return super().item_guid(item)

    def item_pubdate(self, item: MeasureEntry) -> dt.datetime:
        if isinstance(item, Decision):
            return _noon(item.decided_on or item.requested_at.date())
        if isinstance(item, Milestone):
            if item.completed_on:
                return _noon(item.completed_on)
            return _noon(item.due_date + dt.timedelta(days=1))
        return super().item_pubdate(item)

    def item_updateddate(self, item: MeasureEntry) -> dt.datetime:
        if isinstance(item, Decision | Milestone):
            return self.item_pubdate(item)
        return super().item_updateddate(item)

    def item_author_name(self, item: MeasureEntry) -> str | None:
        if isinstance(item, Decision | Milestone):
            return None
        return super().item_author_name(item)
