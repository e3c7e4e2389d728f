"""公海 pool services: claim limits, lock-out, the race, release, derived dates, the daily job."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from kehu.core.audit.models import Action, ChangeLogEntry
from kehu.core.notifications.models import Notification
from kehu.customers import selectors, services, tasks
from kehu.customers.models import Customer, PoolEvent, PoolReason, PoolRules, PoolWarning
from kehu.customers.selectors import pool as pool_selectors
from kehu.customers.tests.factories import make_customer

pytestmark = pytest.mark.django_db


def pooled(personas, name: str, department=None, **fields) -> Customer:
    """A never-owned customer in the pool of `department` (华东 by default)."""
    if fields.get("level"):  # set by hand, with a reason
        fields.setdefault("level_reason", "测试：手工设定")
    customer = services.customer_create(actor=personas.root, owner=None, name=name, city="上海", **fields)
    Customer.objects.filter(pk=customer.pk).update(department=department or personas.east)
    customer.refresh_from_db()
    return customer


def set_rules(**fields) -> PoolRules:
    rules = pool_selectors.pool_rules_get()
    PoolRules.objects.filter(pk=rules.pk).update(**fields)
    rules.refresh_from_db()
    return rules


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def ago(days: float):
    return timezone.now() - timedelta(days=days)


# --- visibility ------------------------------------------------------------------------------


def test_sales_staff_see_their_departments_pool_without_seeing_more_owned_customers(personas):
    east = pooled(personas, "华东公海客户有限公司")
    north = pooled(personas, "华北公海客户有限公司", department=personas.north)
    nowhere = pooled(personas, "无部门公海客户有限公司")
    Customer.objects.filter(pk=nowhere.pk).update(department=None)
    bobs = make_customer(personas.bob, name="李博的客户有限公司")

    def names(user):
        return set(selectors.pool_list(actor=user).values_list("name", flat=True))

    assert names(personas.alice) == {east.name, nowhere.name}
    assert names(personas.erin) == {north.name, nowhere.name}
    assert names(personas.carol) == names(personas.dave) == {east.name, north.name, nowhere.name}
    # The pool widening never reaches owned customers, nor the ordinary customer list.
    assert bobs.pk not in set(selectors.customer_list(actor=personas.alice).values_list("pk", flat=True))
    assert east.pk not in set(selectors.customer_list(actor=personas.alice).values_list("pk", flat=True))


def test_created_in_the_pool_means_never_owned(personas):
    customer = services.customer_create(actor=personas.carol, owner=None, name="公海新客户有限公司")

    assert customer.pool_reason == PoolReason.NEVER_OWNED
    assert make_customer(personas.alice).pool_reason == ""


# --- claim -----------------------------------------------------------------------------------


def test_claim_makes_it_mine_in_my_department_and_logs_it(personas):
    customer = pooled(personas, "可领取科技有限公司", department=personas.sales)
    Customer.objects.filter(pk=customer.pk).update(department=None)

    claimed = services.customer_claim(actor=personas.alice, customer=customer)

    assert claimed.owner == personas.alice
    assert claimed.department == personas.east
    assert claimed.assigned_at is not None and claimed.pool_reason == ""
    assert claimed.version == customer.version + 1
    assert PoolEvent.objects.get(customer=customer).kind == "claim"
    entry = ChangeLogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Customer), object_id=str(customer.pk), action=Action.TRANSFER
    )
    assert entry.actor == personas.alice
    assert entry.changes[0]["field"] == "owner"
    assert entry.changes[0]["new"] == "王丽"
    assert [c["field"] for c in entry.changes] == ["owner", "department", "pool_reason"]
    assert entry.changes[1]["new"] == "华东销售组"
    assert claimed.pk in set(selectors.customer_list(actor=personas.alice).values_list("pk", flat=True))


def test_claim_outside_my_pool_is_404_and_without_the_edit_right_403(personas):
    customer = pooled(personas, "华东公海客户有限公司")

    with pytest.raises(Http404):
        services.customer_claim(actor=personas.erin, customer=customer)
    with pytest.raises(PermissionDenied):
        services.customer_claim(actor=personas.dave, customer=customer)
    assert Customer.objects.get(pk=customer.pk).owner is None


def test_daily_claim_limit(personas):
    set_rules(daily_claim_limit=2)
    customers = [pooled(personas, f"限额客户{i}有限公司") for i in range(3)]
    for customer in customers[:2]:
        services.customer_claim(actor=personas.alice, customer=customer)

    with pytest.raises(ValidationError) as excinfo:
        services.customer_claim(actor=personas.alice, customer=customers[2])

    assert errors_of(excinfo) == {"customer": ["您今天已领取 2 个客户，已达每日上限，请明天再领取。"]}
    assert Customer.objects.get(pk=customers[2].pk).owner is None
    # Yesterday's claims do not count today; another person has their own allowance.
    PoolEvent.objects.filter(user=personas.alice).update(at=ago(1.1))
    services.customer_claim(actor=personas.alice, customer=customers[2])


def test_total_owned_limit(personas):
    set_rules(total_claim_limit=2, daily_claim_limit=0)
    make_customer(personas.alice)
    make_customer(personas.alice)
    customer = pooled(personas, "总量限额客户有限公司")

    with pytest.raises(ValidationError) as excinfo:
        services.customer_claim(actor=personas.alice, customer=customer)

    assert errors_of(excinfo) == {"customer": ["您已拥有 2 个客户，已达个人上限，请先释放部分客户。"]}
    services.customer_claim(actor=personas.bob, customer=customer)


def test_the_previous_owner_is_locked_out_for_m_days(personas):
    set_rules(lockout_days=7)
    customer = make_customer(personas.alice, name="放弃的客户有限公司")
    services.customer_release(actor=personas.alice, customer=customer, reason="今年没有需求")

    with pytest.raises(ValidationError) as excinfo:
        services.customer_claim(actor=personas.alice, customer=customer)

    message = errors_of(excinfo)["customer"][0]
    assert message.startswith("您已于 ") and "起才能重新领取" in message
    # Eight days later the lock-out is over.
    Customer.objects.filter(pk=customer.pk).update(released_at=ago(8))
    assert services.customer_claim(actor=personas.alice, customer=customer).owner == personas.alice


def test_two_claims_of_the_same_customer_exactly_one_wins(personas, monkeypatch):
    customer = pooled(personas, "抢手客户有限公司")
    stale = Customer.objects.get(pk=customer.pk)
    services.customer_claim(actor=personas.alice, customer=customer)
    # Bob read the pool before alice's claim committed: his read still says "in the pool".
    monkeypatch.setattr(pool_selectors, "pool_get_for_claim", lambda *, actor, pk: stale)

    with pytest.raises(ValidationError) as excinfo:
        services.customer_claim(actor=personas.bob, customer=stale)

    assert errors_of(excinfo) == {"customer": ["客户 抢手客户有限公司 刚刚已被他人领取。"]}
    assert Customer.objects.get(pk=customer.pk).owner == personas.alice
    assert PoolEvent.objects.filter(customer=customer, kind="claim").count() == 1


def test_claiming_a_customer_someone_now_owns_says_so_when_visible(personas):
    customer = pooled(personas, "已被领取客户有限公司")
    services.customer_claim(actor=personas.alice, customer=customer)

    with pytest.raises(ValidationError) as excinfo:
        services.customer_claim(actor=personas.carol, customer=customer)
    assert errors_of(excinfo) == {"customer": ["客户 已被领取客户有限公司 已不在公海中。"]}
    with pytest.raises(Http404):  # bob may not even know it exists
        services.customer_claim(actor=personas.bob, customer=customer)


# --- release ---------------------------------------------------------------------------------


def test_release_by_the_owner_needs_a_reason_and_keeps_the_department(personas):
    customer = make_customer(personas.alice, name="释放客户有限公司")

    with pytest.raises(ValidationError) as excinfo:
        services.customer_release(actor=personas.alice, customer=customer, reason="  ")
    assert errors_of(excinfo) == {"reason": ["请填写释放该客户的原因。"]}
    assert Customer.objects.get(pk=customer.pk).owner == personas.alice

    released = services.customer_release(actor=personas.alice, customer=customer, reason="客户已转行")

    assert released.owner is None and released.previous_owner == personas.alice
    assert released.department == personas.east
    assert released.pool_reason == PoolReason.RELEASED and released.released_at is not None
    event = PoolEvent.objects.get(customer=customer)
    assert (event.kind, event.user, event.reason) == ("release", personas.alice, "客户已转行")
    entry = ChangeLogEntry.objects.filter(object_id=str(customer.pk), action=Action.TRANSFER).get()
    assert "客户已转行" in entry.note
    assert [c["field"] for c in entry.changes] == ["owner", "pool_reason"]
    assert customer.pk in set(selectors.pool_list(actor=personas.bob).values_list("pk", flat=True))


def test_release_rights_owner_or_manager(personas):
    customer = make_customer(personas.alice, name="权限客户有限公司")

    with pytest.raises(Http404):
        services.customer_release(actor=personas.bob, customer=customer, reason="x")
    with pytest.raises(PermissionDenied):
        services.customer_release(actor=personas.dave, customer=customer, reason="x")
    services.customer_release(actor=personas.carol, customer=customer, reason="重新分配")
    with pytest.raises(ValidationError) as excinfo:
        services.customer_release(actor=personas.carol, customer=customer, reason="again")
    assert errors_of(excinfo) == {"customer": ["该客户已在公海中。"]}


# --- dates and the job ---------------------------------------------------------------------


def test_due_and_warning_dates_are_derived_from_follow_up_and_assignment(personas):
    rules = set_rules(return_days_base=30, return_days_top=0, warn_days=3)
    customer = make_customer(personas.alice, level="base")
    assigned = ago(10)
    Customer.objects.filter(pk=customer.pk).update(assigned_at=assigned)
    customer.refresh_from_db()

    schedule = selectors.pool_schedule(customer, rules)
    assert schedule.due_at == assigned + timedelta(days=30)
    assert schedule.warn_at == assigned + timedelta(days=27)

    later = ago(2)
    assert services.customer_record_followup(customer=customer, at=later) is True
    assert services.customer_record_followup(customer=customer, at=ago(5)) is False  # never backwards
    customer.refresh_from_db()
    assert customer.last_followup_at == later
    assert selectors.pool_schedule(customer, rules).due_at == later + timedelta(days=30)

    customer.level = "top"
    assert selectors.pool_schedule(customer, rules) is None  # 0 days: top customers never return


def test_the_daily_job_returns_due_customers_and_warns_exactly_once(personas):
    set_rules(return_days_base=30, return_days_unset=20, warn_days=3, lockout_days=7)
    due = make_customer(personas.alice, name="到期客户有限公司", level="base")
    Customer.objects.filter(pk=due.pk).update(assigned_at=ago(31), last_followup_at=ago(40))
    followed = make_customer(personas.alice, name="跟进过的客户有限公司", level="base")
    Customer.objects.filter(pk=followed.pk).update(assigned_at=ago(60), last_followup_at=ago(5))
    warned = make_customer(personas.alice, name="将到期客户有限公司")  # no level: 20 days
    Customer.objects.filter(pk=warned.pk).update(created_at=ago(18))

    first = tasks.pool_daily.call_local()
    second = tasks.pool_daily.call_local()

    assert first == {"returned": 1, "warned": 1}
    assert second == {"returned": 0, "warned": 0}
    due.refresh_from_db()
    assert due.owner is None and due.pool_reason == PoolReason.RETURNED and due.previous_owner == personas.alice
    assert Customer.objects.get(pk=followed.pk).owner == personas.alice
    assert Customer.objects.get(pk=warned.pk).owner == personas.alice
    notes = Notification.objects.filter(recipient=personas.alice).order_by("kind")
    assert [n.kind for n in notes] == ["customers.pool_returned", "customers.pool_warning"]
    assert notes[1].title.startswith("客户 将到期客户有限公司 将于 ")
    assert PoolWarning.objects.filter(customer=warned).count() == 1
    entry = ChangeLogEntry.objects.filter(object_id=str(due.pk), action=Action.TRANSFER).get()
    assert entry.actor is None and "30" in entry.note
    # The previous owner is locked out; a follow-up on the warned one moves its due date: a new warning later.
    with pytest.raises(ValidationError):
        services.customer_claim(actor=personas.alice, customer=due)
    services.customer_record_followup(customer=warned, at=timezone.now())
    assert tasks.pool_daily.call_local() == {"returned": 0, "warned": 0}


def test_a_follow_up_recorded_after_the_job_read_keeps_the_customer(personas):
    rules = set_rules(return_days_base=30)
    customer = make_customer(personas.alice, level="base")
    Customer.objects.filter(pk=customer.pk).update(assigned_at=ago(31))
    read = list(pool_selectors.customers_due(rules))
    services.customer_record_followup(customer=customer, at=timezone.now())

    assert services.customer_return_to_pool(customer=read[0], rules=rules) is False
    assert Customer.objects.get(pk=customer.pk).owner == personas.alice


# --- rules -----------------------------------------------------------------------------------


def test_rules_are_edited_by_administrators_with_validation_naming_the_field(personas):
    rules = pool_selectors.pool_rules_get()

    with pytest.raises(PermissionDenied):
        services.pool_rules_update(actor=personas.carol, version=rules.version, warn_days=1)
    with pytest.raises(ValidationError) as excinfo:
        services.pool_rules_update(actor=personas.root, version=rules.version, return_days_base=5, warn_days=5,
                                   lockout_days=-1)
    assert errors_of(excinfo) == {
        "lockout_days": ["请输入 0 到 3650 之间的数字。"],
        "warn_days": ["预警必须早于退回：天数应少于最短的退回期限（5 天）。"],
    }
    assert PoolRules.objects.get().return_days_base == 30

    saved = services.pool_rules_update(actor=personas.root, version=rules.version, return_days_base=45)
    assert (saved.return_days_base, saved.version, saved.updated_by) == (45, 1, personas.root)
    with pytest.raises(services.StaleEdit):
        services.pool_rules_update(actor=personas.root, version=0, return_days_base=50)
    assert ChangeLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(PoolRules)).exists()


# --- the customer list filter ----------------------------------------------------------------


def test_customer_list_filters_by_days_since_the_last_follow_up(personas):
    quiet = make_customer(personas.alice, name="很久没跟进有限公司")
    Customer.objects.filter(pk=quiet.pk).update(last_followup_at=ago(40))
    busy = make_customer(personas.alice, name="刚跟进有限公司")
    Customer.objects.filter(pk=busy.pk).update(last_followup_at=ago(1), created_at=ago(100))
    never = make_customer(personas.alice, name="从未跟进有限公司")
    Customer.objects.filter(pk=never.pk).update(created_at=ago(35))
    make_customer(personas.alice, name="新客户有限公司")

    found = selectors.customer_list(actor=personas.alice, idle_days=30)

    assert set(found.values_list("name", flat=True)) == {"很久没跟进有限公司", "从未跟进有限公司"}


# --- real concurrency (PostgreSQL, or a SQLite file) --------------------------------------------


def _real_concurrency() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql" or not connection.is_in_memory_db()


def _race(jobs) -> tuple[list, list]:
    """Run each job in its own thread and connection, all released at once; (results, errors)."""
    import threading

    from django.db import connection

    results, errors, lock = [], [], threading.Lock()
    start = threading.Barrier(len(jobs))

    def worker(job) -> None:
        try:
            start.wait(timeout=30)
            result = job()
            with lock:
                results.append(result)
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results, errors


def _claim_job(user_pk: int, customer_pk: int):
    from kehu.accounts.models import User

    def job():
        return services.customer_claim(actor=User.objects.get(pk=user_pk), customer=Customer(pk=customer_pk))

    return job


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_four_people_claiming_one_customer_at_once_exactly_one_wins(personas):
    if not _real_concurrency():
        pytest.skip("needs PostgreSQL (DATABASE_URL) or a SQLite file (KEHU_TEST_SQLITE_NAME)")
    customer = pooled(personas, "抢手客户有限公司")
    people = [personas.alice, personas.bob, personas.carol, personas.root]

    results, errors = _race([_claim_job(user.pk, customer.pk) for user in people])

    assert len(results) == 1 and len(errors) == 3
    assert all(isinstance(exc, ValidationError | Http404) for exc in errors), errors
    assert Customer.objects.get(pk=customer.pk).owner_id == results[0].owner_id
    assert PoolEvent.objects.filter(customer=customer, kind="claim").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_person_claiming_twice_at_once_stays_within_the_daily_limit(personas):
    if not _real_concurrency():
        pytest.skip("needs PostgreSQL (DATABASE_URL) or a SQLite file (KEHU_TEST_SQLITE_NAME)")
    set_rules(daily_claim_limit=1)
    first, second = pooled(personas, "甲客户有限公司"), pooled(personas, "乙客户有限公司")

    results, errors = _race([_claim_job(personas.alice.pk, c.pk) for c in (first, second)])

    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert Customer.objects.filter(owner=personas.alice).count() == 1
