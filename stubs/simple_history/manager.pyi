from typing import Any

from django.db import models

# The historical model (`HistoricalMeasure`, with `history_id`, `history_date`, `history_user`,
# `history_type`, `history_change_reason` and a copy of each field) is made when the app
# registry loads, so no static type names it.
class HistoryManager(models.Manager[Any]):
    instance: models.Model | None
