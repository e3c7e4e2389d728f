"""next_number: formats, resets at Shanghai day/month/year boundaries, rollback, reuse guard."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from kehu.core.numbering.models import IssuedNumber, NumberCounter, NumberPattern
from kehu.core.numbering.registry import register_number_pattern
from kehu.core.numbering.services import (
    NumberingOutsideTransaction,
    UnknownFormType,
    next_number,
    number_pattern_update,
)
from kehu.core.numbering.tests.factories import NumberPatternFactory

UTC = datetime.UTC
DAY = datetime.date(2026, 11, 22)


class Rollback(Exception):
    pass


@pytest.mark.django_db
def test_numbers_count_up_from_one_in_the_pattern_layout():
    NumberPatternFactory(form_type="tests.invoice", prefix="PI", date_format="YYYYMMDD", infix="A")

    numbers = [next_number("tests.invoice", on=DAY) for _ in range(3)]

    assert numbers == ["PI20261122A0001", "PI20261122A0002", "PI20261122A0003"]
    assert list(IssuedNumber.objects.order_by("number").values_list("number", flat=True)) == numbers


@pytest.mark.django_db
def test_daily_reset_follows_the_shanghai_day_not_the_utc_day():
    NumberPatternFactory(form_type="tests.invoice", prefix="PI", date_format="YYYYMMDD", infix="A",
                         reset_period="daily")
    # 15:59 UTC is 23:59 in Shanghai on the 22nd; 16:00 UTC is already the 23rd there.
    late = datetime.datetime(2026, 11, 22, 15, 59, tzinfo=UTC)
    midnight = datetime.datetime(2026, 11, 22, 16, 0, tzinfo=UTC)

    before = [next_number("tests.invoice", on=late) for _ in range(2)]
    after = next_number("tests.invoice", on=midnight)

    assert before == ["PI20261122A0001", "PI20261122A0002"]
    assert after == "PI20261123A0001"


@pytest.mark.django_db
def test_monthly_reset_starts_again_on_the_first_of_the_month_in_shanghai():
    NumberPatternFactory(form_type="tests.quote", prefix="BJ", date_format="YYYYMM", infix="",
                         width=5, reset_period="monthly")
    november = datetime.datetime(2026, 11, 30, 15, 59, 59, tzinfo=UTC)
    december = datetime.datetime(2026, 11, 30, 16, 0, tzinfo=UTC)

    assert next_number("tests.quote", on=november) == "BJ20261100001"
    assert next_number("tests.quote", on=november) == "BJ20261100002"
    assert next_number("tests.quote", on=december) == "BJ20261200001"


@pytest.mark.django_db
def test_yearly_reset_turns_at_new_year_in_shanghai_while_utc_is_still_in_the_old_year():
    NumberPatternFactory(form_type="tests.contract", prefix="HT", date_format="YYYY", infix="",
                         reset_period="yearly")
    new_years_eve = datetime.datetime(2026, 12, 31, 15, 59, tzinfo=UTC)  # 23:59 local
    new_year = datetime.datetime(2026, 12, 31, 16, 0, tzinfo=UTC)  # 00:00 local, 2027

    assert next_number("tests.contract", on=new_years_eve) == "HT20260001"
    assert next_number("tests.contract", on=new_year) == "HT20270001"
    assert next_number("tests.contract", on=new_years_eve) == "HT20260002"
    assert dict(NumberCounter.objects.values_list("period", "last_value")) == {"2026": 2, "2027": 1}


@pytest.mark.django_db
def test_never_reset_keeps_counting_across_days_and_years():
    NumberPatternFactory(form_type="tests.ticket", prefix="GD", date_format="YYMMDD", infix="-",
                         width=3, reset_period="never")

    first = next_number("tests.ticket", on=datetime.date(2026, 12, 31))
    second = next_number("tests.ticket", on=datetime.date(2027, 1, 1))

    assert (first, second) == ("GD261231-001", "GD270101-002")


@pytest.mark.django_db
def test_a_naive_datetime_is_read_as_shanghai_wall_clock():
    NumberPatternFactory(form_type="tests.invoice", prefix="PI", date_format="YYYYMMDD", infix="")

    assert next_number("tests.invoice", on=datetime.datetime(2026, 12, 31, 23, 59)) == "PI202612310001"


@pytest.mark.django_db
def test_a_rolled_back_record_gives_its_number_back():
    NumberPatternFactory(form_type="tests.invoice", prefix="PI", date_format="YYYYMMDD", infix="A")
    with transaction.atomic():
        kept = next_number("tests.invoice", on=DAY)

    with pytest.raises(Rollback), transaction.atomic():
        given_back = next_number("tests.invoice", on=DAY)
        raise Rollback

    with transaction.atomic():
        reissued = next_number("tests.invoice", on=DAY)

    assert (kept, given_back, reissued) == ("PI20261122A0001", "PI20261122A0002", "PI20261122A0002")
    assert IssuedNumber.objects.filter(form_type="tests.invoice").count() == 2


@pytest.mark.django_db(transaction=True)
def test_next_number_outside_a_transaction_is_refused_and_issues_nothing():
    NumberPatternFactory(form_type="tests.invoice")

    with pytest.raises(NumberingOutsideTransaction, match="transaction.atomic"):
        next_number("tests.invoice", on=DAY)

    assert IssuedNumber.objects.count() == 0
    assert NumberCounter.objects.count() == 0


@pytest.mark.django_db
def test_an_unknown_form_type_is_an_error():
    with pytest.raises(UnknownFormType):
        next_number("tests.nothing_registered", on=DAY)


@pytest.mark.django_db
def test_a_switched_off_pattern_refuses_with_a_message_in_the_users_language():
    NumberPatternFactory(form_type="tests.invoice", name="发票", is_active=False)

    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        next_number("tests.invoice", on=DAY)

    assert caught.value.message_dict == {"number": ["发票的编号已停用，请联系管理员。"]}
    assert IssuedNumber.objects.count() == 0


@pytest.mark.django_db
def test_a_registered_pattern_gets_its_row_on_first_use(isolated_registry):
    register_number_pattern("tests.registered", name="Registered", prefix="RG", date_format="YYYY",
                            width=5, reset="yearly")

    number = next_number("tests.registered", on=DAY)

    assert number == "RG202600001"
    pattern = NumberPattern.objects.get(form_type="tests.registered")
    assert (pattern.prefix, pattern.width, pattern.reset_period, pattern.name) == ("RG", 5, "yearly", "")
    assert pattern.display_name == "Registered"


@pytest.mark.django_db
def test_a_pattern_edit_that_would_repeat_issued_numbers_skips_past_them(personas):
    pattern = NumberPatternFactory(form_type="tests.invoice", prefix="PI", date_format="YYYYMMDD",
                                   infix="A", reset_period="daily")
    issued = [next_number("tests.invoice", on=DAY) for _ in range(3)]
    # Restarting "never" starts a fresh counter; its first numbers were issued today.
    number_pattern_update(actor=personas.root, pattern=pattern, version=pattern.version,
                          reset_period="never")

    after_edit = [next_number("tests.invoice", on=DAY) for _ in range(2)]

    assert issued == ["PI20261122A0001", "PI20261122A0002", "PI20261122A0003"]
    assert after_edit == ["PI20261122A0004", "PI20261122A0005"]
    assert IssuedNumber.objects.filter(form_type="tests.invoice").count() == 5


@pytest.mark.django_db
def test_the_same_number_cannot_be_recorded_twice_for_a_form_type():
    IssuedNumber.objects.create(form_type="tests.invoice", number="PI0001")

    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedNumber.objects.create(form_type="tests.invoice", number="PI0001")

    IssuedNumber.objects.create(form_type="tests.quote", number="PI0001")


@pytest.mark.django_db
def test_pattern_update_saves_valid_changes_and_bumps_the_version(personas):
    pattern = NumberPatternFactory(form_type="tests.invoice", prefix="PI")

    updated = number_pattern_update(actor=personas.root, pattern=pattern, version=0, prefix="FP-",
                                    width=6, suffix="X")

    assert (updated.prefix, updated.width, updated.suffix, updated.version) == ("FP-", 6, "X", 1)
    assert next_number("tests.invoice", on=DAY) == "FP-20261122A000001X"


@pytest.mark.django_db
def test_pattern_update_from_a_stale_copy_is_refused_and_changes_nothing(personas):
    pattern = NumberPatternFactory(form_type="tests.invoice", prefix="PI")
    stale = NumberPattern.objects.get(pk=pattern.pk)
    number_pattern_update(actor=personas.root, pattern=pattern, version=0, prefix="HT")

    with pytest.raises(ValidationError) as caught:
        number_pattern_update(actor=personas.root, pattern=stale, version=0, prefix="QT")

    assert caught.value.message_dict == {"version": ["您打开此规则后，其他人已修改了它。请刷新页面后重新修改。"]}
    assert NumberPattern.objects.get(pk=pattern.pk).prefix == "HT"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"prefix": "P I"}, "prefix", "只能使用字母、数字和连字符（-）。"),
        ({"prefix": "编号"}, "prefix", "只能使用字母、数字和连字符（-）。"),
        ({"prefix": ""}, "prefix", "此字段不能为空。"),
        ({"infix": "A/B"}, "infix", "只能使用字母、数字和连字符（-）。"),
        ({"width": 2}, "width", "至少使用 3 位。"),
        ({"width": 11}, "width", "最多使用 10 位。"),
        ({"date_format": "YYYY", "reset_period": "daily"}, "reset_period",
         "日期部分必须能体现流水号的重置周期：请选择更精细的日期部分，或降低重置频率。"),
    ],
)
def test_pattern_update_refuses_bad_settings_naming_the_field(personas, changes, field, message):
    """The suite runs in zh-hans: the messages users see come out in Chinese."""
    pattern = NumberPatternFactory(form_type="tests.invoice", prefix="PI")

    with pytest.raises(ValidationError) as caught:
        number_pattern_update(actor=personas.root, pattern=pattern, version=0, **changes)

    assert caught.value.message_dict == {field: [message]}
    saved = NumberPattern.objects.get(pk=pattern.pk)
    assert (saved.prefix, saved.width, saved.version) == ("PI", 4, 0)


@pytest.mark.django_db
def test_pattern_update_messages_follow_the_active_language(personas):
    pattern = NumberPatternFactory(form_type="tests.invoice", prefix="PI")

    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            number_pattern_update(actor=personas.root, pattern=pattern, version=0, width=2)
        messages = caught.value.message_dict

    assert messages == {"width": ["Use at least 3 digits."]}


@pytest.mark.django_db
def test_pattern_update_is_recorded_in_the_change_log(personas):
    from kehu.core.audit.selectors import changes_for

    pattern = NumberPatternFactory(form_type="tests.invoice", prefix="PI", width=4)

    number_pattern_update(actor=personas.root, pattern=pattern, version=0, prefix="FP", width=6)

    entry = changes_for(pattern).filter(action="update").get()
    assert entry.actor == personas.root
    assert {(item["field"], item["old"], item["new"]) for item in entry.changes} == {
        ("prefix", "PI", "FP"),
        ("width", "4", "6"),
    }


@pytest.mark.django_db
def test_registered_patterns_get_their_rows_after_migrate_and_keep_their_edits(personas):
    from kehu.core.numbering.registry import ensure_number_patterns

    demo = NumberPattern.objects.get(form_type="numbering.demo")  # created by post_migrate
    number_pattern_update(actor=personas.root, pattern=demo, version=demo.version, prefix="YS")

    ensure_number_patterns()

    assert NumberPattern.objects.get(form_type="numbering.demo").prefix == "YS"
