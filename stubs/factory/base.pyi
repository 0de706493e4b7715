from typing import Any

class FactoryOptions[T]:
    model: type[T]

class BaseFactory[T]:
    _meta: FactoryOptions[T]
    # At run time the metaclass turns `MeasureFactory(...)` into `MeasureFactory.create(...)`
    # (the default strategy); mypy reads the type of a class call from __new__ only, and
    # __new__ may only name the class itself, hence the ignore.
    def __new__(cls, **kwargs: Any) -> T: ...  # type: ignore[misc]
    @classmethod
    def build(cls, **kwargs: Any) -> T: ...
    @classmethod
    def create(cls, **kwargs: Any) -> T: ...
    @classmethod
    def build_batch(cls, size: int, **kwargs: Any) -> list[T]: ...
    @classmethod
    def create_batch(cls, size: int, **kwargs: Any) -> list[T]: ...

class Factory[T](BaseFactory[T]): ...
