"""The rules an input's text must keep: one function for the form (to show the message) and the
service (to refuse the write)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participation.models import TEXT_MAX_LENGTH

# More links than this in one text is what spam looks like; a person pointing to a source or
# two is welcome.
MAX_LINKS = 2
LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def count_links(text: str) -> int:
    return len(LINK.findall(text))


def input_text_errors(text: str) -> list[str]:
    errors = []
    if not text.strip():
        errors.append(_("Skriv innspillet ditt."))
    if len(text) > TEXT_MAX_LENGTH:
        errors.append(
            _("Innspillet kan være høyst %(max)s tegn; det har %(length)s.")
            % {"max": TEXT_MAX_LENGTH, "length": len(text)}
        )
    links = count_links(text)
    if links > MAX_LINKS:
        errors.append(
            ngettext(
                "Innspillet kan ha høyst %(max)s lenke; det har %(count)s. Fjern noen.",
                "Innspillet kan ha høyst %(max)s lenker; det har %(count)s. Fjern noen.",
                MAX_LINKS,
            )
            % {"max": MAX_LINKS, "count": links}
        )
    return errors
