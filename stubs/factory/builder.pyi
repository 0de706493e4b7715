from typing import Any

class Resolver:
    """The object a lazy declaration sees: the attributes declared so far, by name."""

    factory_parent: Resolver | None
    def __getattr__(self, name: str) -> Any: ...
