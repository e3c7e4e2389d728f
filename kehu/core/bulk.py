"""Bulk inserts for imports: `bulk_insert(Model, objects)`, the work of `bulk_create` at a
fraction of its cost.

`QuerySet.bulk_create` prepares every value of every object through the field API
(`pre_save`, `get_db_prep_save`) and rebuilds the SQL for every batch; for a 40-column
customer that is most of an import's time. Here the statement is built once per batch
size, values that the database takes as they are (str, int, bool, None in text, integer
and boolean columns) skip the field API, and every other value (dates, decimals, JSON,
datetimes) still goes through `get_db_prep_save`, so what is stored is exactly what
`bulk_create` would store. Like `bulk_create` it sends no signals and does not call
`save()`: the caller validates and writes the change log itself.

Primary keys come back with RETURNING (SQLite ≥ 3.35 and PostgreSQL) and are set on the
objects, in order, so related rows can point at them; `returning=False` skips that.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, models, router

# Columns whose database value is the Python value itself when it has one of these types.
_PLAIN = (
    (models.CharField, (str,)),  # includes EmailField, SlugField, URLField …
    (models.TextField, (str,)),
    (models.BooleanField, (bool,)),
    (models.IntegerField, (int,)),  # includes the Big/Small/Positive kinds
    (models.ForeignKey, (int,)),
)
MAX_PARAMS = 30000  # below SQLite's 32766 host parameters and PostgreSQL's 65535


def _converter(field: models.Field, connection: Any) -> Callable[[Any], Any]:
    """value -> database value, with a shortcut for values the database takes as they are."""
    plain: tuple[type, ...] = ()
    for kind, types in _PLAIN:
        if isinstance(field, kind):
            plain = types
            break
    if isinstance(field, models.ForeignKey):
        target = field.target_field
        plain = next((types for kind, types in _PLAIN if isinstance(target, kind)), ())

    def convert(value: Any, field: models.Field = field, plain: tuple[type, ...] = plain) -> Any:
        if value is None or type(value) in plain:
            return value
        return field.get_db_prep_save(value, connection)

    return convert


def _max_params(connection: Any) -> int:
    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        return min(MAX_PARAMS, connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    return MAX_PARAMS


def bulk_insert(model: type[models.Model], objects: Sequence[models.Model], *, returning: bool = True) -> None:
    """INSERT `objects` (new, unsaved, with an automatic primary key) of `model`; set their pks."""
    if not objects:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    meta = model._meta
    pk = meta.pk
    fields = [f for f in meta.local_concrete_fields if f is not pk]
    # auto_now / auto_now_add and the like: the field fills the value in, as save() would.
    filled = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for field in filled:
        for obj in objects:
            field.pre_save(obj, add=True)
    converters = [(f.attname, _converter(f, connection)) for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    tail = f" RETURNING {quote(pk.column)}" if returning else ""
    can_return = connection.features.can_return_rows_from_bulk_insert
    per_batch = max(1, _max_params(connection) // max(1, len(fields)))
    if returning and not can_return:
        per_batch = 1  # old SQLite: one row per statement, pk from the cursor
    with connection.cursor() as cursor:
        for start in range(0, len(objects), per_batch):
            batch = objects[start:start + per_batch]
            params: list[Any] = []
            for obj in batch:
                values = obj.__dict__
                params += [convert(values[attname]) for attname, convert in converters]
            sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES " + ", ".join([row_sql] * len(batch))
            if returning and can_return:
                cursor.execute(sql + tail, params)
                for obj, (value,) in zip(batch, cursor.fetchall(), strict=True):
                    setattr(obj, pk.attname, value)
            else:
                cursor.execute(sql, params)
                if returning:
                    setattr(batch[0], pk.attname, connection.ops.last_insert_id(cursor, meta.db_table, pk.column))
            for obj in batch:
                obj._state.adding = False
                obj._state.db = alias


class Blank:
    """New unsaved instances of `model`, made fast: `Blank(Customer)(name="…", owner=user)`.

    `Model(**values)` walks every field to find its default each time; an import makes
    one object per row. Here the constant defaults are worked out once and copied; callable
    defaults (`dict`, `timezone.now` …) are still called for every object, and the values
    given are set through the model's attributes as `Model(**values)` would. Models with
    `post_init` receivers (file and image fields) get the ordinary constructor.
    """

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        template = model()
        self.constant = {k: v for k, v in template.__dict__.items() if k != "_state"}
        self.fresh = [
            (field.attname, field.get_default)
            for field in model._meta.concrete_fields
            if field.has_default() and callable(field.default)
        ]
        self.plain = not models.signals.post_init.has_listeners(model)

    def __call__(self, **values: Any) -> models.Model:
        if not self.plain:
            return self.model(**values)
        obj = self.model.__new__(self.model)
        data = obj.__dict__
        data.update(self.constant)
        for attname, get_default in self.fresh:
            data[attname] = get_default()
        data["_state"] = models.base.ModelState()
        for name, value in values.items():
            setattr(obj, name, value)
        return obj
