"""API shapes of the change log."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema


class FieldChangeOut(Schema):
    field: str
    label: str
    old: str
    new: str


class ChangeOut(Schema):
    id: int
    created_at: datetime
    actor_id: int | None
    actor: str
    action: str
    action_label: str
    record_type: str
    object_id: str
    object_repr: str
    changes: list[FieldChangeOut]
    note: str

    @staticmethod
    def from_entry(entry) -> ChangeOut:
        return ChangeOut(
            id=entry.pk,
            created_at=entry.created_at,
            actor_id=entry.actor_id,
            actor=entry.actor_repr,
            action=entry.action,
            action_label=str(entry.get_action_display()),
            record_type=f"{entry.content_type.app_label}.{entry.content_type.model}",
            object_id=entry.object_id,
            object_repr=entry.object_repr,
            changes=[FieldChangeOut(**{k: str(change.get(k, "")) for k in ("field", "label", "old", "new")})
                     for change in entry.display_changes()],
            note=entry.note,
        )


class ChangePageOut(Schema):
    items: list[ChangeOut]
    next_cursor: str | None
