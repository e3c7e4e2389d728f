"""`kehu handover`: the same plan and service as the pages, a dry run that changes nothing."""

from __future__ import annotations

import pytest

from kehu.cli import build_parser
from kehu.customers.cli import handover
from kehu.customers.models import Customer, Handover
from kehu.customers.tests.factories import make_customer

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
