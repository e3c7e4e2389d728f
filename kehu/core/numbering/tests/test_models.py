"""How a pattern renders numbers and picks its counter period."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from kehu.core.numbering.models import NumberPattern

DAY = datetime.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("date_format", "expected"),
    [
        ("none", "PIA0001"),
        ("YYYY", "PI2026A0001"),
        ("YYYYMM", "PI202611A0001"),
        ("YYYYMMDD", "PI20261122A0001"),
        ("YYMMDD", "PI261122A0001"),
    ],
)
def test_render_puts_the_date_part_between_prefix_and_infix(date_format, expected):
    pattern = NumberPattern(prefix="PI", date_format=date_format, infix="A", width=4, reset_period="never")

    assert pattern.render(DAY, 1) == expected


def test_render_pads_to_width_and_appends_suffix():
    pattern = NumberPattern(prefix="HT-", date_format="YYYY", width=6, suffix="-SH", reset_period="yearly")

    assert pattern.render(DAY, 42) == "HT-2026000042-SH"


def test_render_grows_past_width_instead_of_wrapping():
    pattern = NumberPattern(prefix="Q", date_format="none", width=3, reset_period="never")

    assert pattern.render(DAY, 1000) == "Q1000"


@pytest.mark.parametrize(
    ("reset_period", "expected"),
    [("never", ""), ("yearly", "2026"), ("monthly", "202611"), ("daily", "20261122")],
)
def test_period_key_follows_the_reset_period(reset_period, expected):
    pattern = NumberPattern(prefix="PI", date_format="YYYYMMDD", width=4, reset_period=reset_period)

    assert pattern.period_key(DAY) == expected


def test_layout_shows_the_shape_of_a_number():
    pattern = NumberPattern(prefix="PI", date_format="YYYYMMDD", infix="A", width=4, reset_period="daily")

    assert pattern.layout == "PIYYYYMMDDA0000"


@pytest.mark.parametrize(
    ("date_format", "reset_period"),
    [("none", "yearly"), ("YYYY", "monthly"), ("YYYYMM", "daily"), ("none", "daily")],
)
def test_a_reset_finer_than_the_date_part_is_refused(date_format, reset_period):
    pattern = NumberPattern(form_type="tests.x", prefix="PI", date_format=date_format, width=4,
                            reset_period=reset_period)

    with pytest.raises(ValidationError) as caught:
        pattern.clean()

    assert list(caught.value.message_dict) == ["reset_period"]


@pytest.mark.parametrize(
    ("date_format", "reset_period"),
    [("none", "never"), ("YYYY", "yearly"), ("YYMMDD", "daily"), ("YYYYMMDD", "monthly")],
)
def test_a_reset_the_date_part_can_show_is_accepted(date_format, reset_period):
    pattern = NumberPattern(form_type="tests.x", prefix="PI", date_format=date_format, width=4,
                            reset_period=reset_period)

    pattern.clean()
