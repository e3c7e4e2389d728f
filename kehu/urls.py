from django.contrib import admin
from django.urls import include, path

from kehu import views
from kehu.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("accounts/", include("kehu.accounts.urls")),
    path("customers/", include("kehu.customers.urls")),
    path("inbox/", include("kehu.core.notifications.urls")),
    path("attachments/", include("kehu.core.attachments.urls")),
    path("changes/", include("kehu.core.audit.urls")),
    path("imports/", include("kehu.core.transfer.urls")),
    path("settings/numbering/", include("kehu.core.numbering.urls")),
    path("settings/calendar/", include("kehu.core.calendar.urls")),
    path("settings/custom-fields/", include("kehu.core.customfields.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "kehu.views.permission_denied"
handler404 = "kehu.views.page_not_found"
