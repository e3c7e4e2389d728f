"""Matrix entries for the import pages and API.

Importing needs the `import` right on the record type: carol (业务经理) and root
(系统管理员) hold it for customers; alice, bob, erin (业务员) and dave (客服) do not: 403.
A job belongs to its uploader (carol here): only she remaps or confirms it; everyone else
gets 404 there, root included (the sysadmin role does not make a superuser). Reading it
(detail, progress, GET /imports/{id}) is also open to whoever may import customers and has
the uploader in their user scope: root (users: all); nobody else here.
"""

from __future__ import annotations

from django.apps import apps

from kehu.testing.matrix import Case

CUSTOMER = "customers.customer"
MAY_IMPORT = {"anonymous": 302, "carol": 200, "root": 200}
JOB_PAGE = {"anonymous": 302, "carol": 200, "root": 200}
JOB_API = {"anonymous": 401, "carol": 200, "root": 200}


def _upload_data(world) -> dict:
    from kehu.core.transfer.tests.helpers import upload

    return {"record_type": CUSTOMER, "file": upload([["矩阵导入科技有限公司", "", "上海", "", "", ""]])}


def _job(world) -> None:
    from kehu.core.transfer import services
    from kehu.core.transfer.tests.helpers import checked, upload

    world["job"] = checked(lambda: services.import_upload(
        actor=world.p.carol, record_type=CUSTOMER,
        uploaded_file=upload([["矩阵导入科技有限公司", "", "上海", "", "", ""]]),
    ))


def _j(world):
    return [world["job"].pk]


CASES = [
    # --- imports (P9): pages ---
    Case(route="transfer:import_start", expect=MAY_IMPORT, default=403),
    Case(route="transfer:import_start", method="POST", id="POST transfer:import_start", data=_upload_data,
         expect={"anonymous": 302, "carol": 302, "root": 302}, default=403),
    Case(route="transfer:import_detail", setup=_job, args=_j, expect=JOB_PAGE, default=404),
    Case(route="transfer:import_detail", method="POST", id="POST transfer:import_detail", setup=_job, args=_j,
         data=lambda w: {"column_0": "name", "column_2": "city"}, expect={"anonymous": 302, "carol": 302},
         default=404),
    Case(route="transfer:import_confirm", method="POST", setup=_job, args=_j, data=lambda w: {},
         expect={"anonymous": 302, "carol": 302}, default=404),
    Case(route="transfer:import_progress", setup=_job, args=_j, expect=JOB_PAGE, default=404),
    Case(route="transfer:import_template", args=lambda w: [CUSTOMER], expect=MAY_IMPORT, default=403),
    # --- imports (P9): API ---
    Case(route="api:imports_upload", method="POST", data=_upload_data,
         expect={"anonymous": 401, "carol": 202, "root": 202}, default=403),
    Case(route="api:imports_confirm", method="POST", setup=_job, args=_j,
         expect={"anonymous": 401, "carol": 202}, default=404),
    Case(route="api:imports_get", setup=_job, args=_j, expect=JOB_API, default=404),
]
if not apps.is_installed("kehu.customers"):  # no importer registered: nothing to run against
    CASES = []
