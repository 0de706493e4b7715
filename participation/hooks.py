"""What participation adds to the public measure page and its feed (registered in
`ParticipationConfig.ready()` through measures/extensions.py, so `measures` never imports us)."""

from __future__ import annotations

from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from drivkraft.core.context_processors import content_lang_attr
from measures.extensions import FeedEntry, MeasureSection
from measures.feeds import tag_uri
from measures.models import Measure
from participation.forms import PublicInputForm
from participation.selectors import public_inputs


def measure_section(measure: Measure) -> MeasureSection:
    """«Innspill»: the approved input with its answers, and the form «Gi innspill»."""
    return MeasureSection(
        template="participation/includes/measure_section.html",
        context={
            "inputs": list(public_inputs(measure_id=measure.pk)),
            "form": PublicInputForm(),
            "action": reverse("participation:submit", kwargs={"slug": measure.slug}),
        },
    )


def measure_feed_entries(measure: Measure) -> list[FeedEntry]:
    entries = []
    for item in public_inputs(measure_id=measure.pk):
        lang = content_lang_attr()
        html = f"<p{lang}>{linebreaksbr(escape(item.text))}</p>"
        if item.answer:
            answer = linebreaksbr(escape(item.answer))
            html += f"<p>{escape(_('Svar:'))}</p><p{lang}>{answer}</p>"
        entries.append(
            FeedEntry(
                title=_("Innspill til %(title)s") % {"title": measure.title},
                description=html,
                link=f"{measure.get_absolute_url()}#innspill-{item.pk}",
                guid=tag_uri(f"innspill/{item.pk}"),
                published=item.created_at,
                updated=max(d for d in (item.created_at, item.decided_at, item.answered_at) if d),
                author_name=item.name or None,
            )
        )
    return entries
