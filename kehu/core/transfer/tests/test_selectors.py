"""Who sees an import job: its uploader changes it; whoever may import that record type and has the
uploader in their user scope reads it (list and detail), and may not change it."""

from __future__ import annotations

import pytest
from django.http import Http404

from kehu.accounts.models import Role, RoleGrant, Scope
from kehu.accounts.permissions import forget_grants
from kehu.core.transfer import selectors, services
from kehu.core.transfer.tests.helpers import upload
from kehu.customers.tests.factories import credit_code

pytestmark = pytest.mark.django_db
CUSTOMER = "customers.customer"


def grant(user, code: str, record_type: str, actions: list[str], scope: str) -> None:
    role, _created = Role.objects.get_or_create(code=code, defaults={"name": code})
    RoleGrant.objects.update_or_create(role=role, record_type=record_type,
                                       defaults={"actions": actions, "scope": scope})
    user.roles.add(role)
    forget_grants(user)


def may_import(user) -> None:
    grant(user, "test_importer", CUSTOMER, ["view", "create", "edit", "import"], Scope.OWN)


def sees_users(user, scope: str) -> None:
    grant(user, f"test_users_{scope}", "accounts.user", ["view"], scope)


def job_of(user):
    rows = [["团队导入科技有限公司", credit_code(7001), "上海", "021-60000001", "王一", "13900000001"]]
    return services.import_upload(actor=user, record_type=CUSTOMER, uploaded_file=upload(rows))


def test_a_manager_who_may_import_sees_the_teams_jobs_read_only(personas):
    # given alice (东区, under 销售部) uploaded a file; carol may import and sees the 销售部 tree's users
    may_import(personas.alice)
    sees_users(personas.carol, Scope.SUBTREE)
    job = job_of(personas.alice)

    # then carol reads it in the list and the detail …
    assert job in selectors.recent_import_jobs(actor=personas.carol, include_team=True)
    assert selectors.import_job_get(actor=personas.carol, pk=job.pk, action="view") == job
    # … but only alice may change it
    assert selectors.may_change_import_job(personas.carol, job) is False
    with pytest.raises(Http404):
        selectors.import_job_get(actor=personas.carol, pk=job.pk)
    assert selectors.may_change_import_job(personas.alice, job) is True
    assert selectors.import_job_get(actor=personas.alice, pk=job.pk) == job
    # and carol's own list without the team stays hers
    assert selectors.recent_import_jobs(actor=personas.carol) == []


def test_the_team_view_needs_the_uploader_in_the_user_scope(personas):
    may_import(personas.alice)
    sees_users(personas.carol, Scope.DEPARTMENT)  # 销售部 itself, not 东区 below it
    job = job_of(personas.alice)

    assert job not in selectors.recent_import_jobs(actor=personas.carol, include_team=True)
    with pytest.raises(Http404):
        selectors.import_job_get(actor=personas.carol, pk=job.pk, action="view")


def test_the_team_view_needs_the_import_right(personas):
    # dave sees every user but may not import customers; erin may import but sees no users
    may_import(personas.alice)
    may_import(personas.erin)
    sees_users(personas.dave, Scope.ALL)
    job = job_of(personas.alice)

    for other in (personas.dave, personas.erin, personas.bob):
        assert job not in selectors.recent_import_jobs(actor=other, include_team=True)
        with pytest.raises(Http404):
            selectors.import_job_get(actor=other, pk=job.pk, action="view")


def test_the_team_list_reads_in_a_constant_number_of_queries(personas, django_assert_max_num_queries):
    may_import(personas.alice)
    may_import(personas.bob)
    sees_users(personas.carol, Scope.SUBTREE)
    jobs = [job_of(personas.alice), job_of(personas.bob), job_of(personas.alice)]
    selectors.recent_import_jobs(actor=personas.carol, include_team=True)  # grants cached

    with django_assert_max_num_queries(2):  # the department subtree, then the jobs with their uploaders
        listed = selectors.recent_import_jobs(actor=personas.carol, include_team=True)
        names = [job.uploaded_by.username for job in listed]

    assert [job.pk for job in listed] == [job.pk for job in reversed(jobs)]
    assert names == ["alice", "bob", "alice"]
