"""Merge and search (C7, C11): saved filters, the pinyin sort key, and on PostgreSQL two GIN
indexes on the search text: pg_trgm for `LIKE '%…%'` of 3+ characters, and the text's
2-character windows for 2-character searches. SQLite keeps its plain scan."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


TRIGRAM_INDEX = "customer_search_trgm"
BIGRAM_INDEX = "customer_search_bigram"
# A pattern of 2 characters holds no trigram, so pg_trgm cannot serve it; the set of every
# 2-character window of the search text can (selectors/customer.py adds `@> ARRAY[term]`).
BIGRAMS = """
CREATE OR REPLACE FUNCTION kehu_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT coalesce(array_agg(DISTINCT substr(t, i, 2)), '{}')
   FROM generate_series(1, greatest(char_length(t) - 1, 0)) AS i $$
"""


def add_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(BIGRAMS)
    table = schema_editor.quote_name(apps.get_model("customers", "Customer")._meta.db_table)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON {table} USING gin (search_text gin_trgm_ops)"
    )
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {BIGRAM_INDEX} ON {table} USING gin (kehu_bigrams(search_text))")


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {BIGRAM_INDEX}")
        schema_editor.execute("DROP FUNCTION IF EXISTS kehu_bigrams(text)")


def fill_name_pinyin(apps, schema_editor):
    from pypinyin import lazy_pinyin

    from kehu.customers import normalize

    Customer = apps.get_model("customers", "Customer")
    batch = []
    for pk, name in Customer.objects.values_list("pk", "name").iterator(chunk_size=2000):
        cleaned = normalize.strip_punctuation(normalize.clean_text(name or ""))
        batch.append(Customer(pk=pk, name_pinyin=" ".join(lazy_pinyin(cleaned)).lower()[:400]))
        if len(batch) >= 2000:
            Customer.objects.bulk_update(batch, ["name_pinyin"])
            batch = []
    if batch:
        Customer.objects.bulk_update(batch, ["name_pinyin"])


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_role_version'),
        ('customers', '0008_classification'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SavedFilter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=60, verbose_name='name')),
                ('query', models.CharField(blank=True, max_length=1000, verbose_name='query string')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
            ],
            options={
                'verbose_name': 'saved filter',
                'verbose_name_plural': 'saved filters',
                'ordering': ['name', 'pk'],
            },
        ),
        migrations.AddField(
            model_name='customer',
            name='name_pinyin',
            field=models.CharField(blank=True, editable=False, max_length=400),
        ),
        migrations.AddIndex(
            model_name='customer',
            index=models.Index(fields=['name_pinyin', 'id'], name='customer_name_pinyin'),
        ),
        migrations.AddField(
            model_name='savedfilter',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='saved_filters', to=settings.AUTH_USER_MODEL, verbose_name='user'),
        ),
        migrations.AddConstraint(
            model_name='savedfilter',
            constraint=models.UniqueConstraint(fields=('user', 'name'), name='savedfilter_unique_name'),
        ),
        migrations.RunPython(fill_name_pinyin, migrations.RunPython.noop),
        migrations.RunPython(add_search_indexes, drop_search_indexes),
    ]
