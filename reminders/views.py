"""The pause link of a reminder mail: no login, the signed token is the proof.

GET shows a page with one button (a mail scanner that follows every link must not pause anyone);
POST pauses, from that button or straight from a mail client's one-click unsubscribe
(RFC 8058: `List-Unsubscribe=One-Click`, posted without our CSRF token, so the view is exempt:
the token is what authorises the change, and pausing is all it can do).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from reminders.mail import user_id_from_token
from reminders.selectors import reminders_paused
from reminders.services import reminder_preference_set


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def pause(request: HttpRequest, token: str) -> HttpResponse:
    user_id = user_id_from_token(token)
    user = (
        get_user_model().objects.filter(pk=user_id, is_active=True).first()
        if user_id is not None
        else None
    )
    if user is None:
        return render(request, "reminders/pause_invalid.html", status=400)
    if request.method == "POST":
        reminder_preference_set(user=user, paused=True)
        return render(request, "reminders/pause.html", {"done": True})
    return render(
        request, "reminders/pause.html", {"done": False, "paused": reminders_paused(user)}
    )
