"""The fragments the public lists repeat, each rendered once for what it shows
(`drivkraft.core.fragments`): a measure's card and a status update in a timeline.

Each names everything its template reads: the objects' stored values and the page's
`content_lang_attr`. A template that starts to show something new (another related object)
adds it here too; `tests/measures/test_fragments.py` changes every value a card shows and
checks that the card follows.
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from drivkraft.core.fragments import model_state, render_fragment, states
from measures.models import Measure, StatusUpdate

register = template.Library()


@register.simple_tag(takes_context=True)
def measure_card(context: template.Context, measure: Measure) -> SafeString:
    """`includes/measure_card.html` for `measure`: with its focus area, responsible person (and
    their municipality and organisation) and municipalities loaded, as `with_list_relations`
    loads them."""
    lang_attr = context.get("content_lang_attr", "")
    person = measure.responsible
    made_from = (
        model_state(measure),
        model_state(measure.focus_area),
        model_state(person),
        model_state(person.municipality) if person else (),
        model_state(person.organisation) if person else (),
        states(measure.municipalities.all()),
        str(lang_attr),
    )
    return render_fragment(
        "includes/measure_card.html",
        {"measure": measure, "content_lang_attr": lang_attr},
        made_from=made_from,
    )


@register.simple_tag(takes_context=True)
def update_item(
    context: template.Context, update: StatusUpdate, *, show_measure: bool = False
) -> SafeString:
    """`includes/update_item.html` for `update`; with `show_measure`, its measure's title and
    link too."""
    lang_attr = context.get("content_lang_attr", "")
    made_from = (
        model_state(update),
        model_state(update.measure) if show_measure else (),
        show_measure,
        str(lang_attr),
    )
    return render_fragment(
        "includes/update_item.html",
        {"update": update, "show_measure": show_measure, "content_lang_attr": lang_attr},
        made_from=made_from,
    )
