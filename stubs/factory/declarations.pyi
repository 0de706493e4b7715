from collections.abc import Callable, Iterable
from typing import Any

from factory.base import BaseFactory
from factory.builder import Resolver

class BaseDeclaration[T]: ...

class Sequence[T](BaseDeclaration[T]):
    def __init__(self, function: Callable[[int], T]) -> None: ...

class LazyAttribute[T](BaseDeclaration[T]):
    def __init__(self, function: Callable[[Resolver], T]) -> None: ...

class SelfAttribute(BaseDeclaration[Any]):
    # A dotted path from the object being built («..focus_area» is its parent's): any type.
    def __init__(self, attribute_name: str, default: Any = ...) -> None: ...

class Iterator[T](BaseDeclaration[T]):
    def __init__(self, iterator: Iterable[T], cycle: bool = True) -> None: ...

class SubFactory[T](BaseDeclaration[T]):
    def __init__(self, factory: type[BaseFactory[T]], **kwargs: Any) -> None: ...
