from django.urls import path

from kehu.core.calendar import views

app_name = "calendar"
urlpatterns = [
    path("", views.calendar_month, name="calendar_month"),
    path("calculator/", views.calendar_calculator, name="calendar_calculator"),
    path("overrides/", views.override_list, name="override_list"),
    path("overrides/<str:date>/delete/", views.override_delete, name="override_delete"),
    path("<slug:code>/business-hours/", views.business_hours_edit, name="business_hours_edit"),
]
