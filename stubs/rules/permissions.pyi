from collections.abc import Callable

from rules.predicates import Predicate

# A plain callable is wrapped in a Predicate.
def add_perm(name: str, pred: Predicate[..., object] | Callable[..., object]) -> None: ...
