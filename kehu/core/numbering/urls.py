from django.urls import path

from kehu.core.numbering import views

app_name = "numbering"
urlpatterns = [
    path("", views.pattern_list, name="pattern_list"),
    path("<str:form_type>/edit/", views.pattern_edit, name="pattern_edit"),
    path("<str:form_type>/preview/", views.pattern_preview, name="pattern_preview"),
]
