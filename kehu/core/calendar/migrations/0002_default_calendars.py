"""Create the shipped 5×8 and 7×24 service calendars (idempotent; edits are kept)."""

from django.db import migrations


def create_defaults(apps, schema_editor):
    from kehu.core.calendar.defaults import ensure_default_calendars

    ensure_default_calendars(apps.get_model("calendar", "ServiceCalendar"))


class Migration(migrations.Migration):
    dependencies = [("calendar", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
