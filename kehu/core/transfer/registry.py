"""Importers and exporters per record type, and what they hand back to the engine.

An app registers one `Importer` per record type in its AppConfig.ready():

    register_importer(CustomerImporter())

The engine parses the file, maps the columns and calls `validate_rows(actor=, rows=)`
with `(row number, {column key: text})` pairs; the importer answers with a `Validation`:
per-row errors naming row and column in the user's language, a duplicate verdict per
row, and whatever it needs to write. `apply(actor=, validation=, progress=)` then writes
everything; the engine runs it inside ONE transaction (all or nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import pgettext_lazy

from kehu.accounts.permissions import can

NEW = "new"
UPDATE = "update"
DUPLICATE = "duplicate"
VERDICT_LABELS = {
    NEW: pgettext_lazy("import verdict", "New"),
    UPDATE: pgettext_lazy("import verdict", "Update existing"),
    DUPLICATE: pgettext_lazy("import verdict", "Duplicate, skipped"),
}


@dataclass(frozen=True)
class Column:
    """One column of an import or export: key, title, and how to read it."""

    key: str
    label: Any  # lazy translation: the Chinese title in the template, the English one too
    required: bool = False
    aliases: tuple[str, ...] = ()  # other titles people use (手机, 电话号码 …)
    example: str = ""


@dataclass
class RowIssue:
    row: int  # the spreadsheet row number (the header is row 1)
    column: str  # the column's title as the user reads it
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class RowVerdict:
    row: int
    verdict: str  # NEW, UPDATE, DUPLICATE
    detail: str = ""
    target_id: int | None = None

    def as_dict(self) -> dict:
        return {"row": self.row, "verdict": self.verdict, "detail": self.detail, "target_id": self.target_id}


@dataclass
class Validation:
    """What validate_rows found. `prepared` is the importer's own data for apply()."""

    total: int = 0
    errors: list[RowIssue] = field(default_factory=list)
    verdicts: list[RowVerdict] = field(default_factory=list)
    prepared: Any = None

    def error(self, row: int, column: Any, message: Any) -> None:
        self.errors.append(RowIssue(row, str(column), str(message)))

    @property
    def error_rows(self) -> int:
        return len({issue.row for issue in self.errors})

    def count(self, verdict: str) -> int:
        bad = {issue.row for issue in self.errors}
        return sum(1 for v in self.verdicts if v.verdict == verdict and v.row not in bad)


class Importer:
    """Base class: set record_type, verbose_name, columns; implement validate_rows and apply."""

    record_type: str = ""
    name: str = ""  # what the command line calls it: `kehu import customers FILE`
    verbose_name: Any = ""
    columns: tuple[Column, ...] = ()

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def validate_rows(self, *, actor: Any, rows: list[tuple[int, dict[str, str]]]) -> Validation:
        """Check every row. An importer may also accept `progress` (a callable taking
        (rows done, rows in all)); the engine then passes one and the check's progress bar
        moves while the rows are checked, otherwise it waits at "file read" until the end."""
        raise NotImplementedError

    def apply(self, *, actor: Any, validation: Validation, progress: Callable[[int, int], None]) -> int:
        """Write everything (the engine holds the transaction); return the rows written."""
        raise NotImplementedError


class Exporter:
    """Base class: `columns`, and `rows(actor=, **filters)` yielding one list of values per record."""

    record_type: str = ""
    name: str = ""
    columns: tuple[Column, ...] = ()

    def rows(self, *, actor: Any, **filters: Any) -> Iterator[list[Any]]:
        raise NotImplementedError


IMPORTERS: dict[str, Importer] = {}
EXPORTERS: dict[str, Exporter] = {}


def register_importer(importer: Importer) -> Importer:
    IMPORTERS[importer.record_type] = importer
    return importer


def register_exporter(exporter: Exporter) -> Exporter:
    EXPORTERS[exporter.record_type] = exporter
    return exporter


def get_importer(record_type: str) -> Importer | None:
    return IMPORTERS.get(record_type)


def by_name(registry: dict, name: str) -> Any:
    """An importer or exporter by its command-line name or record type; None if unknown."""
    return next((item for item in registry.values() if name in {item.name, item.record_type}), None)


def importers_for(user: Any) -> list[Importer]:
    """The importers the user may use (the `import` right on their record type)."""
    return [imp for imp in IMPORTERS.values() if can(user, imp.record_type, "import")]


def labels(columns: Iterable[Column]) -> list[str]:
    return [str(column.label) for column in columns]
