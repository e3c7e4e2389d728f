from django.contrib.auth import views as auth_views
from django.urls import path

from kehu.accounts.views import auth, departments, roles, users

app_name = "accounts"
urlpatterns = [
    path("login/", auth.login_view, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", auth.profile, name="profile"),
    path("profile/password/", auth.password_change, name="password_change"),
    path("profile/tokens/", auth.token_create, name="token_create"),
    path("profile/tokens/<int:pk>/revoke/", auth.token_revoke, name="token_revoke"),
    path("users/", users.user_list, name="user_list"),
    path("users/new/", users.user_create, name="user_create"),
    path("users/<int:pk>/", users.user_edit, name="user_edit"),
    path("users/<int:pk>/deactivate/", users.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/activate/", users.user_activate, name="user_activate"),
    path("users/<int:pk>/password/", users.user_password_reset, name="user_password_reset"),
    path("departments/", departments.department_list, name="department_list"),
    path("departments/new/", departments.department_create, name="department_create"),
    path("departments/<int:pk>/", departments.department_edit, name="department_edit"),
    path("departments/<int:pk>/delete/", departments.department_delete, name="department_delete"),
    path("roles/", roles.role_list, name="role_list"),
    path("roles/new/", roles.role_create, name="role_create"),
    path("roles/<int:pk>/", roles.role_edit, name="role_edit"),
    path("roles/<int:pk>/delete/", roles.role_delete, name="role_delete"),
]
