"""Northern Sámi (`se`) has no format module in Django. A /se/ page shows the bokmål content
(marked lang="nb"), so its dates and numbers are written as on the bokmål pages."""

from django.conf.locale.nb.formats import *  # type: ignore[import-untyped]  # noqa: F403
