"""Handover pages: the form previews, the confirmation hands over exactly that, list and detail."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kehu.customers.models import Customer, Handover
from kehu.customers.tests.factories import make_customer

pytestmark = pytest.mark.django_db


def page(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def form(personas, **extra) -> dict:
    return {"from_user": personas.alice.pk, "to_users": [personas.bob.pk, personas.erin.pk],
            "mode": "round_robin", "reason": "离职交接", **extra}


def test_preview_then_confirm(personas):
    for index in range(3):
        make_customer(personas.alice, name=f"交接{index}科技有限公司")
    client = page(personas.carol)

    preview = client.post(reverse("customers:handover_create"), form(personas, action="preview"))
    html = preview.content.decode()
    assert preview.status_code == 200 and 'data-testid="handover-preview"' in html
    assert "王丽 的 3 个客户将被交接" in html and 'data-testid="handover-confirm"' in html
    assert not Handover.objects.exists()
    digest = preview.context["plan"].digest
    assert f'value="{digest}"' in html

    done = client.post(reverse("customers:handover_create"), form(personas, action="confirm", digest=digest))
    handover = Handover.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("customers:handover_detail", args=[handover.pk])
    assert Customer.objects.filter(owner=personas.bob).count() == 2
    detail = client.get(done["Location"]).content.decode()
    assert detail.count('data-testid="handover-item"') == 3 and "华北销售组" in detail
    listing = client.get(reverse("customers:handover_list")).content.decode()
    assert "离职交接" in listing and 'data-testid="handover-new"' in listing


def test_errors_are_shown_on_the_form(personas):
    make_customer(personas.alice)
    client = page(personas.carol)

    split = client.post(reverse("customers:handover_create"), form(personas, action="preview", mode="split", split="5,5"))
    assert split.status_code == 400 and "各人数量合计 10，但共有 1 个客户。" in split.content.decode()
    bad = client.post(reverse("customers:handover_create"), form(personas, action="preview", split="两个"))
    assert bad.status_code == 400 and "请输入以逗号分隔的整数" in bad.content.decode()
    assert not Handover.objects.exists()


def test_only_those_who_may_transfer_see_the_pages(personas):
    assert page(personas.alice).get(reverse("customers:handover_list")).status_code == 403
    html = page(personas.carol).get(reverse("customers:handover_create")).content.decode()
    assert "李博" in html and "赵燕" in html  # her team, though the user list is not hers to see
    assert 'data-nav="customer_handovers"' in html


def test_the_list_takes_the_same_queries_whatever_its_length(personas, django_assert_max_num_queries):
    from kehu.customers.services import handover_create

    client = page(personas.carol)
    url = reverse("customers:handover_list")

    def hand_over(count):
        for index in range(count):
            make_customer(personas.alice, name=f"列表{Handover.objects.count()}-{index}科技有限公司")
            handover_create(actor=personas.carol, from_user=personas.alice, to_users=[personas.bob], reason="调岗")
            Customer.objects.filter(owner=personas.bob).update(owner=personas.alice, department=personas.east)

    hand_over(1)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    hand_over(4)
    with django_assert_max_num_queries(len(one)):
        html = client.get(url).content.decode()
    assert html.count('data-testid="handover-row"') == 5
