from collections.abc import Sequence
from typing import Any, overload

from django.db import models
from simple_history.manager import HistoryManager

class HistoricalRecords:
    """Declared on a model as `history = HistoricalRecords()`. When the model class is ready it
    is replaced by a descriptor giving a `HistoryManager`; `__get__` types that attribute."""

    def __init__(
        self,
        verbose_name: str | None = None,
        verbose_name_plural: str | None = None,
        *,
        excluded_fields: Sequence[str] | None = None,
        m2m_fields: Sequence[str | models.ManyToManyField[Any, Any]] = ...,
    ) -> None: ...
    @overload
    def __get__(self, instance: None, owner: type[models.Model]) -> HistoryManager: ...
    @overload
    def __get__(self, instance: models.Model, owner: type[models.Model]) -> HistoryManager: ...
