"""API shapes of imports."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema


class RowIssueOut(Schema):
    row: int
    column: str
    message: str


class RowVerdictOut(Schema):
    row: int
    verdict: str  # new, update, duplicate
    detail: str
    target_id: int | None = None


class ImportJobOut(Schema):
    id: int
    record_type: str
    file_name: str
    status: str  # checking, previewed, running, done, failed (uploaded: older jobs)
    headers: list[str]
    mapping: dict[str, str]
    total_rows: int
    new_rows: int
    update_rows: int
    duplicate_rows: int
    error_rows: int
    written_rows: int
    progress: int
    errors: list[RowIssueOut]
    verdicts: list[RowVerdictOut]
    message: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @staticmethod
    def from_job(job) -> dict:
        data = {
            name: getattr(job, name)
            for name in (
                "id", "record_type", "status", "headers", "mapping", "total_rows", "new_rows", "update_rows",
                "duplicate_rows", "error_rows", "written_rows", "progress", "errors", "verdicts", "message",
                "created_at", "started_at", "finished_at",
            )
        }
        data["file_name"] = job.original_name
        return data
