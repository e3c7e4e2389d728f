from django.urls import path

from kehu.core.customfields import views

app_name = "customfields"
urlpatterns = [
    path("", views.definition_list, name="definition_list"),
    path("new/", views.definition_create, name="definition_create"),
    path("<int:pk>/edit/", views.definition_edit, name="definition_edit"),
]
