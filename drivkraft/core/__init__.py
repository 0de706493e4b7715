"""Infrastructure shared by every app of the portal: below the domain apps, importing none of them.

The content revision and the public page cache, the htmx request type and fragment check,
Markdown rendering, the Norwegian number format, the admin site and its base classes, the
template helpers and the health check. `teams`, `measures` and `reports` build on it;
import-linter's contracts in `pyproject.toml` keep it from importing any of them.
"""
