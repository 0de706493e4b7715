"""The admin start page's «Mine tiltak»: the measures the logged-in user is responsible for."""

from __future__ import annotations

from django import template
from django.utils import timezone

from measures.models import STALE_DAYS
from measures.selectors import OwnMeasure, my_measures

register = template.Library()


@register.simple_tag(takes_context=True)
def own_measures(context: template.Context) -> list[OwnMeasure]:
    request = context.get("request")
    if request is None:
        return []
    return my_measures(user=request.user, today=timezone.localdate())


@register.simple_tag
def stale_days() -> int:
    return STALE_DAYS
