from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.http import HttpRequest

_F = TypeVar("_F", bound=Callable[..., Any])

def ratelimit(
    group: str | None = ...,
    key: str | Callable[[str, HttpRequest], str] | None = ...,
    rate: str | Callable[[str, HttpRequest], Any] | None = ...,
    method: str | Iterable[str] = ...,
    block: bool = ...,
) -> Callable[[_F], _F]: ...
