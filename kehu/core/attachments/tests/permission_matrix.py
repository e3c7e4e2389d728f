"""Matrix entries for attachment pages and API, on a ScopedRecord alice owns."""

from django.contrib.contenttypes.models import ContentType

from kehu.core.attachments.tests.helpers import add_attachment, make_record, upload
from kehu.testing.matrix import Case
from kehu.testing.scoped.models import ScopedRecord

# alice owns; carol manages her department tree; root sees all; bob, erin, dave see nothing.
PAGE_READ = {"anonymous": 302, "alice": 200, "carol": 200, "root": 200}
PAGE_WRITE = {"anonymous": 302, "alice": 302, "carol": 302, "root": 302}
API_READ = {"anonymous": 401, "alice": 200, "carol": 200, "root": 200}


def _record(world) -> None:
    world["record"] = make_record(world.p.alice)


def _attachment(world) -> None:
    _record(world)
    world["attachment"] = add_attachment(world["record"], world.p.alice)


def _record_args(world) -> list:
    return [ContentType.objects.get_for_model(ScopedRecord).pk, world["record"].pk]


CASES = [
    Case(route="attachments:attachment_list", setup=_record, args=_record_args, expect=PAGE_READ, default=404),
    Case(
        route="attachments:attachment_list", method="POST", id="POST attachments:attachment_list (upload)",
        setup=_record, args=_record_args, data=lambda w: {"file": upload("会议纪要.txt", "纪要".encode())},
        expect=PAGE_WRITE, default=404,
    ),
    Case(
        route="attachments:attachment_download", setup=_attachment, args=lambda w: [w["attachment"].pk],
        expect=PAGE_READ, default=404,
    ),
    Case(
        route="attachments:attachment_delete", method="POST", setup=_attachment,
        args=lambda w: [w["attachment"].pk], data=lambda w: {}, expect=PAGE_WRITE, default=404,
    ),
    Case(
        route="api:attachments_list", setup=_record, args=lambda w: ["scoped.scopedrecord", w["record"].pk],
        expect=API_READ, default=404,
    ),
    Case(
        route="api:attachments_upload", method="POST", setup=_record,
        args=lambda w: ["scoped.scopedrecord", w["record"].pk],
        data=lambda w: {"file": upload("会议纪要.txt", "纪要".encode())},
        expect={"anonymous": 401, "alice": 201, "carol": 201, "root": 201}, default=404,
    ),
    Case(
        route="api:attachments_download", setup=_attachment, args=lambda w: [w["attachment"].pk],
        expect=API_READ, default=404,
    ),
    Case(
        route="api:attachments_delete", method="DELETE", setup=_attachment, args=lambda w: [w["attachment"].pk],
        expect={"anonymous": 401, "alice": 204, "carol": 204, "root": 204}, default=404,
    ),
]
