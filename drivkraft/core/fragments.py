"""Parts of a page rendered once for what they show, not once per request.

A list page is mostly the same fragment (a measure's card, a status update) over and over, and
Django's template engine costs about a millisecond per card: most of a cold page. Every public
write moves the one content revision, so the page cache starts empty after any change; these
fragments do not. A fragment is stored under a digest of everything it is made from (the state of
the objects it shows, the template, the language): a change to any of them is a new key, so an
entry is never stale and nothing needs to be invalidated. Entries live in the process (no network
round trip per fragment), bounded, the least recently used dropped first.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Model
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# About 2 kB each: a few megabytes per process at most.
MAX_FRAGMENTS = 4096


class FragmentMemo:
    """A bounded, thread-safe map from a digest to rendered HTML, least recently used out."""

    def __init__(self, max_entries: int = MAX_FRAGMENTS) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[bytes, SafeString] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: bytes) -> SafeString | None:
        with self._lock:
            html = self._entries.get(key)
            if html is not None:
                self._entries.move_to_end(key)
            return html

    def set(self, key: bytes, html: SafeString) -> None:
        with self._lock:
            self._entries[key] = html
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


fragments = FragmentMemo()


def model_state(obj: Model | None) -> tuple[Any, ...]:
    """Every stored value of `obj` (its concrete fields, in order), with its model: what a
    fragment showing it can be made from. None for no object."""
    if obj is None:
        return ()
    return (
        obj._meta.label,
        *(getattr(obj, field.attname) for field in obj._meta.concrete_fields),
    )


def states(objects: Iterable[Model]) -> tuple[tuple[Any, ...], ...]:
    return tuple(model_state(obj) for obj in objects)


def render_fragment(
    template_name: str, context: Mapping[str, Any], *, made_from: tuple[Any, ...]
) -> SafeString:
    """`template_name` rendered with `context`, or the same HTML rendered before from the same
    `made_from`: everything the fragment shows must follow from `made_from`, the template and the
    active language (model states from `model_state`, the flags the caller passes)."""
    digest = hashlib.blake2b(
        repr((template_name, get_language(), made_from)).encode(), digest_size=20
    ).digest()
    html = fragments.get(digest)
    if html is None:
        html = mark_safe(get_template(template_name).render(dict(context)))  # noqa: S308 - autoescaped by the template
        fragments.set(digest, html)
    return html
