from collections.abc import Callable, Iterator
from typing import Any

# The function that builds the structure element(s) of a box (reports.pdfua wraps it).
_build_box_tree: Callable[..., Iterator[Any]]
