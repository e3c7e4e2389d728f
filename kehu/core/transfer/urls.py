from django.urls import path

from kehu.core.transfer import views

app_name = "transfer"
urlpatterns = [
    path("", views.import_start, name="import_start"),
    path("<int:pk>/", views.import_detail, name="import_detail"),
    path("<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("template/<str:record_type>/", views.import_template, name="import_template"),
]
