"""Matrix entries for the change log's pages and API."""

from django.contrib.contenttypes.models import ContentType

from kehu.core.audit.tests.helpers import make_record
from kehu.testing.matrix import Case
from kehu.testing.scoped.models import ScopedRecord

ONLY_ADMIN_PAGE = {"anonymous": 302, "root": 200}
ONLY_ADMIN_API = {"anonymous": 401, "root": 200}
# alice owns the record; carol manages east; root sees all; bob, erin and dave do not see it.
RECORD_PAGE = {"anonymous": 302, "alice": 200, "carol": 200, "root": 200}
RECORD_API = {"anonymous": 401, "alice": 200, "carol": 200, "root": 200}


def _alice_record(world) -> None:
    world["record"] = make_record(world.p.alice)
    world["record"].title = "改名后的档案"
    world["record"].save()


CASES = [
    Case(route="audit:change_list", expect=ONLY_ADMIN_PAGE, default=403),
    Case(route="audit:change_export", expect=ONLY_ADMIN_PAGE, default=403),
    Case(
        route="audit:change_record_list",
        setup=_alice_record,
        args=lambda w: [ContentType.objects.get_for_model(ScopedRecord).pk, w["record"].pk],
        expect=RECORD_PAGE, default=404,
    ),
    Case(route="api:audit_change_list", expect=ONLY_ADMIN_API, default=403),
    Case(
        route="api:audit_record_changes",
        setup=_alice_record,
        args=lambda w: ["scoped.scopedrecord", w["record"].pk],
        expect=RECORD_API, default=404,
    ),
]
