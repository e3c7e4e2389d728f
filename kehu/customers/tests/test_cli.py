"""`kehu handover`, `kehu pool sweep`, `kehu merge`: the same plans and services as the pages,
dry runs that change nothing, refusals explained on stderr with exit code 1 (2: bad usage)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from kehu.cli import build_parser
from kehu.cli import main as kehu
from kehu.core.notifications.models import Notification
from kehu.customers.cli import handover
from kehu.customers.models import Contact, Customer, Handover, PoolReason, PoolRules, PoolWarning
from kehu.customers.selectors import pool as pool_selectors
from kehu.customers.tests.factories import make_contact, make_customer

pytestmark = pytest.mark.django_db


def run(*argv: str) -> int:
    return handover(build_parser().parse_args(["handover", *argv]))


def test_dry_run_then_handover(personas, capsys):
    for index in range(3):
        make_customer(personas.alice, name=f"命令行{index}科技有限公司")

    assert run("--from", "alice", "--to", "bob,erin", "--by", "root", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "bob\t2" in out and "erin\t1" in out and "dry run: 3" in out
    assert not Handover.objects.exists() and Customer.objects.filter(owner=personas.alice).count() == 3

    assert run("--from", "alice", "--to", "bob,erin", "--by", "root", "--reason", "离职", "--split", "1,2") == 0
    assert Customer.objects.filter(owner=personas.erin).count() == 2
    handover_record = Handover.objects.get()
    assert handover_record.created_by == personas.root and handover_record.reason == "离职"


def test_errors_are_explained(personas, capsys):
    make_customer(personas.alice)

    assert run("--from", "alice", "--to", "nobody", "--by", "root", "--dry-run") == 1
    assert "to_users" in capsys.readouterr().err
    assert run("--from", "alice", "--to", "bob", "--by", "alice") == 1
    assert "may not transfer" in capsys.readouterr().err
    assert run("--from", "alice", "--to", "bob", "--by", "carol") == 1  # no reason
    assert "reason" in capsys.readouterr().err
    assert Customer.objects.filter(owner=personas.alice).count() == 1
    assert run("--from", "alice", "--to", "bob", "--by", "ghost") == 2


# --- kehu pool sweep -------------------------------------------------------------------------


def ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def pool_rules(**fields) -> None:
    PoolRules.objects.filter(pk=pool_selectors.pool_rules_get().pk).update(**fields)


def test_pool_sweep_returns_due_customers_warns_and_prints_counts(personas, capsys):
    # given one customer past its due date and one 2 days before it (warning 3 days ahead)
    pool_rules(return_days_base=30, return_days_unset=20, warn_days=3)
    due = make_customer(personas.alice, name="到期客户有限公司", level="base", level_reason="测试")
    Customer.objects.filter(pk=due.pk).update(assigned_at=ago(31))
    soon = make_customer(personas.alice, name="将到期客户有限公司")
    Customer.objects.filter(pk=soon.pk).update(created_at=ago(18))

    # when the sweep runs twice
    assert kehu(["pool", "sweep"]) == 0
    first = capsys.readouterr().out
    assert kehu(["pool", "sweep"]) == 0

    # then the first returns one and warns one, the second finds nothing
    assert first == "returned\t1\nwarned\t1\n"
    assert capsys.readouterr().out == "returned\t0\nwarned\t0\n"
    due.refresh_from_db()
    assert due.owner is None and due.pool_reason == PoolReason.RETURNED
    assert PoolWarning.objects.filter(customer=soon).count() == 1
    assert Notification.objects.filter(recipient=personas.alice).count() == 2


def test_pool_sweep_on_a_later_date_sees_what_will_be_due(personas, capsys):
    pool_rules(return_days_base=30, warn_days=0)
    customer = make_customer(personas.alice, level="base", level_reason="测试")
    Customer.objects.filter(pk=customer.pk).update(assigned_at=ago(20))
    in_twelve_days = (timezone.localdate() + datetime.timedelta(days=12)).isoformat()

    assert kehu(["pool", "sweep", "--date", timezone.localdate().isoformat()]) == 0
    assert Customer.objects.get(pk=customer.pk).owner == personas.alice
    assert kehu(["pool", "sweep", "--date", in_twelve_days]) == 0

    assert capsys.readouterr().out.endswith("returned\t1\nwarned\t0\n")
    assert Customer.objects.get(pk=customer.pk).owner is None


def test_pool_sweep_refuses_a_bad_date(capsys):
    with pytest.raises(SystemExit) as exited:
        kehu(["pool", "sweep", "--date", "2026-13-01"])
    assert exited.value.code == 2 and "not a date" in capsys.readouterr().err


# --- kehu merge ------------------------------------------------------------------------------


def merge_pair(personas):
    survivor = make_customer(personas.alice, name="华为技术有限公司", city="深圳", phone="0755-28780808")
    loser = make_customer(personas.alice, name="华为终端有限公司", city="东莞", phone="0769-11112222")
    make_contact(loser, name="李雷")
    return survivor, loser


def test_merge_dry_run_shows_the_differences_and_changes_nothing(personas, capsys):
    survivor, loser = merge_pair(personas)

    code = kehu(["merge", str(survivor.pk), str(loser.pk), "--as", "carol", "--take", "city=loser", "--dry-run"])

    assert code == 0
    out = capsys.readouterr().out
    assert "name\t华为技术有限公司\t华为终端有限公司\t→ survivor" in out
    assert "city\t深圳\t东莞\t→ loser" in out
    assert "dry run: nothing merged" in out
    assert Customer.objects.get(pk=loser.pk).merged_into_id is None
    assert Contact.objects.get(name="李雷").customer_id == loser.pk


def test_merge_moves_everything_and_takes_the_chosen_values(personas, capsys):
    survivor, loser = merge_pair(personas)

    code = kehu(["merge", str(survivor.pk), str(loser.pk), "--as", "carol", "--take", "city=loser"])

    assert code == 0
    assert f"merged #{loser.pk} into #{survivor.pk}" in capsys.readouterr().out
    survivor.refresh_from_db()
    assert survivor.city == "东莞" and survivor.name == "华为技术有限公司"
    assert Customer.objects.get(pk=loser.pk).merged_into_id == survivor.pk
    assert Contact.objects.get(name="李雷").customer_id == survivor.pk


def test_merge_refusals_are_explained_and_change_nothing(personas, capsys):
    survivor, loser = merge_pair(personas)
    hidden = make_customer(personas.erin, name="北方贸易有限公司")
    ids = [str(survivor.pk), str(loser.pk)]

    assert kehu(["merge", *ids, "--as", "alice"]) == 1  # no right to retire the loser
    assert "may not" in capsys.readouterr().err
    assert kehu(["merge", str(survivor.pk), str(hidden.pk), "--as", "alice"]) == 1  # outside her scope
    assert "sees no customer" in capsys.readouterr().err
    assert kehu(["merge", *ids, "--as", "carol", "--take", "owner=loser"]) == 1  # not a field one chooses
    assert "choices" in capsys.readouterr().err
    assert kehu(["merge", str(survivor.pk), str(survivor.pk), "--as", "carol"]) == 1
    assert "loser_id" in capsys.readouterr().err
    assert kehu(["merge", *ids, "--as", "ghost"]) == 2
    assert kehu(["merge", *ids, "--as", "carol", "--take", "city"]) == 2
    assert "FIELD=loser" in capsys.readouterr().err
    assert not Customer.objects.filter(merged_into__isnull=False).exists()
