"""The reminder e-mail: plain text with an HTML alternative, in Norwegian, with a signed
one-click link that pauses the reminders (RFC 8058: `List-Unsubscribe` and
`List-Unsubscribe-Post`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from reminders.selectors import Digest, absolute_url

PAUSE_SALT = "reminders.pause"


def pause_token(user: Any) -> str:
    """A signed token naming the user, for the pause link; it does not expire (a link in an old
    mail should still pause), and only this site's SECRET_KEY can make one."""
    return signing.dumps({"user": user.pk}, salt=PAUSE_SALT, compress=False)


def user_id_from_token(token: str) -> int | None:
    """The user a pause token names; None when it was not made by this site or was changed."""
    try:
        data = signing.loads(token, salt=PAUSE_SALT)
    except signing.BadSignature:
        return None
    user_id = data.get("user") if isinstance(data, dict) else None
    return user_id if isinstance(user_id, int) and not isinstance(user_id, bool) else None


def pause_url(user: Any) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("reminders:pause", kwargs={"token": pause_token(user)})
    return absolute_url(path)


def digest_message(digest: Digest) -> EmailMultiAlternatives:
    """The mail for one digest, ready to send."""
    user = digest.user
    with translation.override(settings.LANGUAGE_CODE):
        unsubscribe = pause_url(user)
        context = {
            "digest": digest,
            "name": _display_name(user),
            "pause_url": unsubscribe,
            "settings_url": absolute_url(reverse("workspace:home")) + "#paminnelser",
            "site_url": settings.SITE_URL,
            "reminder_days": settings.REMINDER_DAYS,
            "interval_days": settings.REMINDER_INTERVAL_DAYS,
        }
        subject = " ".join(render_to_string("reminders/email/subject.txt", context).split())
        text = render_to_string("reminders/email/digest.txt", context)
        html = render_to_string("reminders/email/digest.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # An automatic mail: no out-of-office replies (RFC 3834).
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _display_name(user: Any) -> str:
    person = getattr(user, "person", None)
    if person is not None:
        return str(person.name)
    return str(user.get_full_name() or user.get_username())
