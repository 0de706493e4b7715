from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from drivkraft.core.health import healthz

# An unreachable database outside a view answers 503 like one inside (drivkraft.middleware).
handler500 = "drivkraft.middleware.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
# Norwegian at the plain addresses (the public contract); English under /en/.
urlpatterns += i18n_patterns(
    path("", include("measures.urls")),
    path("", include("teams.urls")),
    path("", include("reports.urls")),
    path("", include("reminders.urls")),
    path("", include("participation.urls")),
    path("", include("workspace.urls")),
    prefix_default_language=False,
)
