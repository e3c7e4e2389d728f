"""The access policy: `visible_to` per scope, `access` answering 404 and 403, `can`."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from kehu.accounts import services
from kehu.accounts.models import Department, User
from kehu.accounts.permissions import access, can, scope_of
from kehu.accounts.services import GrantInput
from kehu.testing.scoped.models import ScopedRecord


@pytest.fixture
def records(personas):
    p = personas
    return {
        name: ScopedRecord.objects.create(title=name, owner=user, department=user.department)
        for name, user in (("alice", p.alice), ("bob", p.bob), ("erin", p.erin), ("dave", p.dave))
    }


def _visible(user) -> set[str]:
    return set(ScopedRecord.objects.visible_to(User.objects.get(pk=user.pk)).values_list("title", flat=True))


def test_own_scope_sees_only_own_records(personas, records):
    assert scope_of(personas.alice, "scoped.scopedrecord") == "own"
    assert _visible(personas.alice) == {"alice"}


def test_department_scope_sees_the_department_but_not_sub_or_sibling_departments(personas, records):
    role = services.role_create(
        actor=personas.root, code="east_lead", name="组长",
        grants=[GrantInput("scoped.scopedrecord", ["view"], "department")],
    )
    personas.bob.roles.set([role])

    assert _visible(personas.bob) == {"alice", "bob"}


def test_subtree_scope_sees_the_department_tree(personas, records):
    assert scope_of(personas.carol, "scoped.scopedrecord") == "subtree"
    assert _visible(personas.carol) == {"alice", "bob", "erin"}


def test_all_scope_sees_everything(personas, records):
    assert _visible(personas.root) == {"alice", "bob", "erin", "dave"}


def test_no_grant_sees_nothing(personas, records):
    assert scope_of(personas.dave, "scoped.scopedrecord") is None
    assert _visible(personas.dave) == set()


def test_a_user_always_sees_what_they_own_outside_their_department_scope(personas, records):
    ScopedRecord.objects.create(title="moved", owner=personas.alice, department=personas.service)

    assert _visible(personas.alice) == {"alice", "moved"}


def test_anonymous_and_inactive_users_see_nothing(personas, records):
    from django.contrib.auth.models import AnonymousUser

    User.objects.filter(pk=personas.root.pk).update(is_active=False)

    assert set(ScopedRecord.objects.visible_to(AnonymousUser())) == set()
    assert _visible(personas.root) == set()


def test_access_answers_404_out_of_scope(personas, records):
    with pytest.raises(Http404):
        access(personas.alice, ScopedRecord, records["bob"].pk, "view")
    with pytest.raises(Http404):
        access(personas.carol, ScopedRecord, records["dave"].pk, "edit")


def test_access_answers_403_when_visible_but_action_not_granted(personas, records):
    assert access(personas.alice, ScopedRecord, records["alice"].pk, "edit") == records["alice"]

    with pytest.raises(PermissionDenied):
        access(personas.alice, ScopedRecord, records["alice"].pk, "delete")


def test_access_with_a_malformed_id_is_404(personas, records):
    with pytest.raises(Http404):
        access(personas.root, ScopedRecord, "not-a-number", "view")


def test_users_and_departments_are_scoped_like_records(personas):
    role = services.role_create(
        actor=personas.root, code="hr_sales", name="销售人事",
        grants=[
            GrantInput("accounts.user", ["view"], "subtree"),
            GrantInput("accounts.department", ["view"], "subtree"),
        ],
    )
    personas.carol.roles.add(role)
    carol = User.objects.get(pk=personas.carol.pk)

    assert set(User.objects.visible_to(carol).values_list("username", flat=True)) == {
        "alice", "bob", "carol", "erin",
    }
    assert set(Department.objects.visible_to(carol).values_list("code", flat=True)) == {
        "sales", "sales-east", "sales-north",
    }
    assert can(carol, "accounts.user", "view") is True
    assert can(carol, "accounts.user", "edit") is False
