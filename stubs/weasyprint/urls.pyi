from collections.abc import Mapping
from typing import IO
from urllib import request

class URLFetcher(request.OpenerDirector):
    # Set by __init__; a subclass that skips it (to install no handlers) sets them itself.
    _fail_on_errors: bool
    _request: request.Request | None
    def __init__(
        self,
        timeout: float = 10,
        *,
        allowed_protocols: set[str] | None = None,
        allow_redirects: bool = True,
        fail_on_errors: bool = False,
    ) -> None: ...
    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse: ...

class URLFetcherResponse:
    url: str
    status: int
    def __init__(
        self,
        url: str,
        body: str | bytes | IO[bytes] | None = None,
        headers: Mapping[str, str] | None = None,
        status: int = 200,
    ) -> None: ...
    @property
    def content_type(self) -> str: ...
    def read(self, size: int = -1) -> bytes: ...
