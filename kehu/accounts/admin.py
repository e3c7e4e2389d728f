"""The Django admin for superusers: a back-office view of the organisation tables."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from kehu.accounts.models import ApiToken, Department, LoginAttempt, Role, RoleGrant, User


class BumpVersionMixin:
    """A back-office save moves the version on, so forms opened before it are refused as stale."""

    def save_model(self, request, obj, form, change) -> None:
        if change:
            obj.version = (obj.version or 0) + 1
        super().save_model(request, obj, form, change)


@admin.register(User)
class UserAdmin(BumpVersionMixin, DjangoUserAdmin):
    list_display = ("username", "display_name", "department", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "department", "roles")
    search_fields = ("username", "display_name", "email", "mobile")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Organisation"), {"fields": ("display_name", "mobile", "department", "roles", "language")}),
    )

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deactivate instead: records keep their owner


@admin.register(Department)
class DepartmentAdmin(BumpVersionMixin, admin.ModelAdmin):
    list_display = ("name", "code", "parent", "head", "is_active")
    search_fields = ("name", "code")


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0


@admin.register(Role)
class RoleAdmin(BumpVersionMixin, admin.ModelAdmin):
    list_display = ("code", "name", "is_system")
    inlines = [RoleGrantInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "expires_at", "revoked_at")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin):
    list_display = ("username", "ip", "succeeded", "at")
    list_filter = ("succeeded",)
    search_fields = ("username", "ip")
