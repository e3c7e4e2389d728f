from django.urls import path

from kehu.core.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.change_list, name="change_list"),
    path("export.csv", views.change_export, name="change_export"),
    path("<int:content_type_id>/<str:object_id>/", views.change_record_list, name="change_record_list"),
]
