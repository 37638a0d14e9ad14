from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from cluster.views import dashboard

admin.site.site_header = _("Emulation cluster administration")
admin.site.site_title = _("Emulation cluster")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("c/", include("cluster.urls")),
    path("e/", include("evaluations.urls")),
    path("a/", include("awards.urls")),
    path("d/", include("documents.urls")),
    path("n/", include("notifications.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "accounts.views.error_403"
handler404 = "accounts.views.error_404"
handler500 = "accounts.views.error_500"

if settings.DEBUG:
    # Lets a developer preview the styled error pages.
    from accounts import views as account_views

    urlpatterns += [
        path("__errors__/500/", account_views.error_500),
    ]
