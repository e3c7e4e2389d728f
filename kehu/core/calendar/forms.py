"""Forms of the calendar pages: month navigation, the calculator, and administration."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kehu.core.calendar import engine
from kehu.core.calendar.defaults import DEFAULT_CODE


def calendar_choices() -> list[tuple[str, str]]:
    from kehu.core.calendar.selectors import calendar_list

    return [(c.code, c.name) for c in calendar_list()]


class CalendarChoiceMixin:
    def set_calendar_choices(self) -> None:
        self.fields["calendar"].choices = calendar_choices()


class MonthForm(CalendarChoiceMixin, forms.Form):
    """Which month of which calendar to show (query string of the month page)."""

    year = forms.IntegerField(label=_("Year"), min_value=1901, max_value=2199, required=False)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12, required=False)
    calendar = forms.ChoiceField(label=_("Calendar"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.set_calendar_choices()


class CalculatorForm(CalendarChoiceMixin, forms.Form):
    """Start + working time → due."""

    start = forms.DateTimeField(
        label=pgettext_lazy("working time", "Start"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    calendar = forms.ChoiceField(label=_("Calendar"), initial=DEFAULT_CODE)
    days = forms.IntegerField(
        label=_("Working days"), min_value=0, max_value=3660, initial=0, required=False
    )
    half_days = forms.IntegerField(
        label=_("Half working days"), min_value=0, max_value=7320, initial=0, required=False
    )
    hours = forms.DecimalField(
        label=_("Working hours"),
        min_value=0,
        max_value=87840,
        max_digits=9,
        decimal_places=2,
        initial=0,
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.set_calendar_choices()

    def clean_start(self):
        start = self.cleaned_data["start"]
        if not 1901 <= start.year <= 2199:
            raise forms.ValidationError(
                _("Give a time between the years %(min)d and %(max)d.") % {"min": 1901, "max": 2199}
            )
        return start


class BusinessHoursForm(forms.Form):
    """Business hours as text, e.g. 09:00-12:00,13:30-18:00; carries the version read."""

    business_hours = forms.CharField(
        label=_("Business hours"),
        max_length=200,
        help_text=_("Periods separated by commas, e.g. 09:00-12:00,13:30-18:00"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_business_hours(self) -> str:
        value = self.cleaned_data["business_hours"]
        try:
            return engine.format_business_hours(engine.parse_business_hours(value))
        except engine.BusinessHoursError as exc:
            raise forms.ValidationError(str(exc)) from exc


class OverrideForm(forms.Form):
    """One company day: closed (e.g. annual company holiday) or working."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    is_working = forms.TypedChoiceField(
        label=_("The company"),
        choices=[("0", _("is closed")), ("1", _("works"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="0",
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
