from kehu.core.audit.context import audit_actor
from kehu.core.audit.tests.helpers import make_record


def test_record_changes_are_listed_newest_first_with_field_changes(personas, client):
    record = make_record(personas.alice, "旧名称")
    with audit_actor(personas.alice):
        record.title = "新名称"
        record.save()
    client.force_login(personas.alice)

    response = client.get(f"/api/v1/changes/records/scoped.scopedrecord/{record.pk}")

    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["action"] for item in items] == ["update", "create"]
    assert items[0]["changes"] == [{"field": "title", "label": "title", "old": "旧名称", "new": "新名称"}]
    assert items[0]["actor"] == "王丽"
    assert response.json()["next_cursor"] is None


def test_record_changes_out_of_scope_answer_404(personas, client):
    record = make_record(personas.alice)
    client.force_login(personas.erin)

    response = client.get(f"/api/v1/changes/records/scoped.scopedrecord/{record.pk}")

    assert response.status_code == 404
    assert response.json() == {"detail": response.json()["detail"], "errors": []}


def test_unknown_record_type_answers_404(personas, client):
    client.force_login(personas.root)

    assert client.get("/api/v1/changes/records/nothing.here/1").status_code == 404


def test_global_list_pages_with_a_cursor_without_gaps_or_repeats(personas, client):
    for number in range(5):
        make_record(personas.alice, f"档案{number}")
    client.force_login(personas.root)

    seen, cursor = [], None
    while True:
        params = {"limit": 2, "record_type": "scoped.scopedrecord"}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/api/v1/changes/", params).json()
        seen += [item["object_repr"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert seen == [f"档案{number}" for number in reversed(range(5))]


def test_bad_cursor_is_a_field_error(personas, client):
    client.force_login(personas.root)

    response = client.get("/api/v1/changes/", {"cursor": "not-a-cursor"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "cursor"


def test_global_list_is_forbidden_to_a_manager(personas, client):
    client.force_login(personas.carol)

    assert client.get("/api/v1/changes/").status_code == 403
