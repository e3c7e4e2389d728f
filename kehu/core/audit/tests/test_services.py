import pytest

from kehu.core.audit.models import Action
from kehu.core.audit.selectors import changes_for
from kehu.core.audit.services import change_record_event
from kehu.core.audit.tests.helpers import make_record


def test_business_event_is_appended_with_actor_and_note(personas):
    record = make_record(personas.alice)

    entry = change_record_event(
        actor=personas.carol, target=record, action=Action.MERGE,
        changes=[("merged_into", "", "上海华信科技")], labels={"merged_into": "合并到"}, note="重复客户",
    )

    assert changes_for(record).first() == entry
    assert (entry.action, entry.actor, entry.note) == ("merge", personas.carol, "重复客户")
    assert entry.changes == [{"field": "merged_into", "label": "合并到", "old": "", "new": "上海华信科技"}]


def test_business_event_masks_personal_data_fields_of_the_model(personas):
    entry = change_record_event(
        actor=personas.root, target=personas.bob, action=Action.UNMASK,
        changes=[("mobile", None, "13812345678")],
    )

    assert entry.changes[0]["new"] == "138****5678"


def test_unknown_action_is_refused(personas):
    with pytest.raises(ValueError):
        change_record_event(actor=personas.root, target=personas.bob, action="teleport")
