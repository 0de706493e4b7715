from django.db.models import Model
from simple_history.manager import HistoryManager

def get_history_manager_for_model(model: Model | type[Model]) -> HistoryManager: ...

# The model the history rows are made of (`HistoricalMeasure` for `Measure`).
def get_history_model_for_model(model: Model | type[Model]) -> type[Model]: ...
