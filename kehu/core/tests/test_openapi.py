"""The committed OpenAPI schema (docs/openapi.json) is the one the code serves."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management import call_command

COMMITTED = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"
REGENERATE = "kehu manage export_openapi_schema --api kehu.api.api --indent 2 --sorted --output docs/openapi.json"


def test_committed_schema_matches_the_code(tmp_path):
    fresh = tmp_path / "openapi.json"
    call_command("export_openapi_schema", api="kehu.api.api", indent=2, sorted=True, output=str(fresh))

    assert json.loads(fresh.read_text()) == json.loads(COMMITTED.read_text()), (
        f"docs/openapi.json is out of date: run `{REGENERATE}` and commit it"
    )


def test_every_operation_documents_its_error_answers():
    schema = json.loads(COMMITTED.read_text())
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if not operation.get("security"):  # open operations (health, token) answer no 401/403
                continue
            if "401" not in operation["responses"] and "403" not in operation["responses"]:
                missing.append(f"{method.upper()} {path}")
    assert not missing, f"operations without their refusal answers in the schema: {missing}"
