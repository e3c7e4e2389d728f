"""Search (C11) on SQLite: FTS5 indexes of the customer search text, kept by triggers.

Two contentless FTS5 tables (trigrams for 3+ characters, 2-character windows for 2) and the
triggers on customers_customer that keep them; the existing customers are indexed here.
The design is described in kehu/customers/search_index.py. PostgreSQL: nothing (its GIN
indexes come from 0009_merge).
"""

from django.db import migrations


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from kehu.customers import search_index

        search_index.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from kehu.customers import search_index

        search_index.uninstall(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0010_customer_parent_index'),
    ]

    operations = [
        migrations.RunPython(install, uninstall),
    ]
