"""A signed time stamp for public forms: when the form was handed out, to refuse posts made
faster than a person can write (a spam robot's), and stamps that were forged or altered.

Public pages are cached and shared, so a stamp rendered into a page would be as old as the cached
copy. Templates therefore write `{% form_stamp %}`, a placeholder, and `FormStampMiddleware`
(drivkraft.middleware) puts a fresh stamp in its place in every response as it leaves, cached or
not. A browser's own copy (304) keeps its older stamp, which only makes it older.
"""

from __future__ import annotations

import time

from django.core import signing

# What the template tag writes; never a valid stamp.
PLACEHOLDER = "drivkraft-form-stamp-placeholder"
_SALT = "drivkraft.core.formstamp"


class StampError(ValueError):
    """The stamp is missing, forged or altered."""


def issue(*, now: float | None = None) -> str:
    return signing.dumps({"t": time.time() if now is None else now}, salt=_SALT, compress=False)


def age(stamp: str, *, now: float | None = None) -> float:
    """Seconds since the stamp was issued; `StampError` for anything not issued here."""
    try:
        issued = signing.loads(stamp, salt=_SALT)["t"]
    except (signing.BadSignature, KeyError, TypeError) as error:
        raise StampError(stamp) from error
    if not isinstance(issued, int | float):
        raise StampError(stamp)
    return (time.time() if now is None else now) - float(issued)


def fill(content: bytes) -> bytes:
    """Every placeholder in `content` replaced by a fresh stamp."""
    if PLACEHOLDER.encode() not in content:
        return content
    return content.replace(PLACEHOLDER.encode(), issue().encode())
