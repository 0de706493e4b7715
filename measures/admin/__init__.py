"""The admin area: Django's admin in Norwegian, shaped around reporting status."""

from measures.admin import indicators, measures, plan

__all__ = ["indicators", "measures", "plan"]
