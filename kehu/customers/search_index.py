"""The SQLite index of the customer search text (PostgreSQL has its GIN indexes, migration 0009).

`Customer.search_text` is segments (name, short name, pinyin initials, phones, contact names …)
joined by "|", each of letters and digits only, lower case; a search term is letters and
digits too, and matches when it is a substring of the text (`LIKE '%term%'`). SQLite has no
index for that, so two contentless FTS5 tables stand beside the table, filled by triggers:

* `customer_search_trigram` (tokenizer `trigram`) holds the search text as it is. A term of 3+
  characters is the phrase of its trigrams; a trigram holding the "|" never comes from a term,
  so a match never crosses a segment boundary.
* `customer_search_bigram` (tokenizer `ascii`, `detail=none`) holds every 2-character window of
  each segment, space-separated: "华为技术|hwjs" → "华为 为技 技术 hw wj js". A 2-character term
  is one token of it; no positions are needed, hence `detail=none`. The `ascii` tokenizer keeps
  every non-ASCII character as a token character, whatever Unicode version the SQLite build
  knows, and folds ASCII case only, as SQLite's LIKE does. The windows are cut by the SQL
  function `kehu_bigrams`, registered on every SQLite connection (`install_functions`), since
  a trigger cannot loop over a string in SQL alone.

Why not one table: trigram cannot answer 2 characters, and a phrase of bigrams over digits
(100 possible bigrams, each in a third of the rows) reads far more of the index for 4 phone
digits than two trigrams do. The selector keeps the exact `LIKE` after the index, so the
result is the same as the plain scan's; 1-character terms keep the plain scan.

Triggers on `customers_customer` keep both tables in step with every write (save, bulk_create,
bulk_update, queryset update, delete). SQLite drops a table's triggers when a migration
rebuilds the table (AlterField and the like), so `ensure` runs after every migrate: it puts
missing triggers back and refills the index.
"""

from __future__ import annotations

from typing import Any

TRIGRAM = "customer_search_trigram"
BIGRAM = "customer_search_bigram"
FUNCTION = "kehu_bigrams"
SEPARATOR = "|"
TRIGGERS = {
    "customer_search_insert": f"""
        CREATE TRIGGER IF NOT EXISTS customer_search_insert AFTER INSERT ON customers_customer BEGIN
          INSERT INTO {TRIGRAM}(rowid, body) VALUES (new.id, new.search_text);
          INSERT INTO {BIGRAM}(rowid, body) VALUES (new.id, {FUNCTION}(new.search_text));
        END""",
    "customer_search_delete": f"""
        CREATE TRIGGER IF NOT EXISTS customer_search_delete AFTER DELETE ON customers_customer BEGIN
          INSERT INTO {TRIGRAM}({TRIGRAM}, rowid, body) VALUES ('delete', old.id, old.search_text);
          INSERT INTO {BIGRAM}({BIGRAM}, rowid, body) VALUES ('delete', old.id, {FUNCTION}(old.search_text));
        END""",
    "customer_search_update": f"""
        CREATE TRIGGER IF NOT EXISTS customer_search_update AFTER UPDATE OF id, search_text ON customers_customer
        WHEN old.id IS NOT new.id OR old.search_text IS NOT new.search_text BEGIN
          INSERT INTO {TRIGRAM}({TRIGRAM}, rowid, body) VALUES ('delete', old.id, old.search_text);
          INSERT INTO {BIGRAM}({BIGRAM}, rowid, body) VALUES ('delete', old.id, {FUNCTION}(old.search_text));
          INSERT INTO {TRIGRAM}(rowid, body) VALUES (new.id, new.search_text);
          INSERT INTO {BIGRAM}(rowid, body) VALUES (new.id, {FUNCTION}(new.search_text));
        END""",
}


def bigrams(search_text: str | None) -> str:
    """Every 2-character window of each segment, space-separated: the bigram table's document."""
    if not search_text:
        return ""
    return " ".join(
        segment[i : i + 2] for segment in search_text.split(SEPARATOR) for i in range(len(segment) - 1)
    )


def install_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """`connection_created` receiver: the triggers' `kehu_bigrams` on every SQLite connection."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(FUNCTION, 1, bigrams, deterministic=True)


def match(term: str) -> tuple[str, str] | None:
    """(table, MATCH expression) serving `LIKE '%term%'`, or None for a 1-character term."""
    if len(term) < 2:
        return None
    phrase = '"' + term.replace('"', '""') + '"'
    return (BIGRAM if len(term) == 2 else TRIGRAM), phrase


def install(connection: Any) -> None:
    """Create the tables and triggers and index every customer (migration 0011, SQLite only)."""
    with connection.cursor() as cursor:
        install_functions(None, connection)  # in case this connection opened before the app was ready
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {TRIGRAM} USING fts5(body, content='', tokenize='trigram', columnsize=0)"
        )
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {BIGRAM} "
            "USING fts5(body, content='', tokenize='ascii', detail=none, columnsize=0)"
        )
        for sql in TRIGGERS.values():
            cursor.execute(sql)
    refill(connection)


def uninstall(connection: Any) -> None:
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {TRIGRAM}")
        cursor.execute(f"DROP TABLE IF EXISTS {BIGRAM}")


def refill(connection: Any) -> None:
    """Empty both tables and index every customer again."""
    with connection.cursor() as cursor:
        install_functions(None, connection)
        cursor.execute(f"INSERT INTO {TRIGRAM}({TRIGRAM}) VALUES ('delete-all')")
        cursor.execute(f"INSERT INTO {BIGRAM}({BIGRAM}) VALUES ('delete-all')")
        cursor.execute(f"INSERT INTO {TRIGRAM}(rowid, body) SELECT id, search_text FROM customers_customer")
        cursor.execute(
            f"INSERT INTO {BIGRAM}(rowid, body) SELECT id, {FUNCTION}(search_text) FROM customers_customer"
        )


def ensure(sender: Any = None, using: str = "default", **kwargs: Any) -> None:
    """`post_migrate` receiver: once the index exists, its triggers exist (see the module's note)."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, type FROM sqlite_master WHERE name IN (%s, %s, %s, %s, %s)",
            [TRIGRAM, BIGRAM, *TRIGGERS],
        )
        present = dict(cursor.fetchall())
    if TRIGRAM not in present or BIGRAM not in present or all(name in present for name in TRIGGERS):
        return
    with connection.cursor() as cursor:
        for sql in TRIGGERS.values():
            cursor.execute(sql)
    refill(connection)
