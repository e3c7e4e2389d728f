from django.urls import path

from kehu.core.attachments import views

app_name = "attachments"
# download/ and delete/ first: "<pk>/download/" would otherwise read as a record id.
urlpatterns = [
    path("<int:pk>/download/", views.attachment_download, name="attachment_download"),
    path("<int:pk>/delete/", views.attachment_remove, name="attachment_delete"),
    path("<int:content_type_id>/<str:object_id>/", views.attachment_list, name="attachment_list"),
]
