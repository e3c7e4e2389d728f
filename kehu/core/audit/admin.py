"""The change log in Django's admin: read-only, like every other door."""

from django.contrib import admin

from kehu.core.audit.models import ChangeLogEntry


@admin.register(ChangeLogEntry)
class ChangeLogEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor_repr", "action", "content_type", "object_repr")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "actor_repr", "object_id")
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        from kehu.core.audit.selectors import can_see_all_changes

        return can_see_all_changes(request.user)
