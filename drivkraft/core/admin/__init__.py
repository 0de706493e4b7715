"""The base classes every app's admin builds on (base.py), and the content revision's admin."""

from drivkraft.core.admin import revision

__all__ = ["revision"]
