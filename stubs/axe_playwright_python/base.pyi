from typing import Any

class AxeResults:
    # axe-core's result object as JSON: "violations", "passes", … (axe-core's API docs).
    response: dict[str, Any]
