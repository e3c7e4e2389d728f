"""Archive cards (C3): what the team knows about a customer, dated and authored.

The sales record book (销售记录本) is a table of its own because classification (C5: ABC,
loyalty) and the distribution network's roll-ups compute over its amounts; contracts and
receipts join it later as further sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kehu.accounts.permissions import ScopedQuerySet, scope_filter, scope_of
from kehu.customers.models.customer import CreditRating


class CustomerScopedQuerySet(ScopedQuerySet):
    """Rows that belong to a customer and follow its scope: visible when the customer is.

    They have no rights of their own: the customer's view right and scope decide what is
    seen, the customer's edit right what may change (checked by the services).
    """

    def visible_to(self, user: Any) -> CustomerScopedQuerySet:
        from kehu.customers.apps import CUSTOMER

        scope = scope_of(user, CUSTOMER)
        if scope is None:
            return self.none()
        condition = scope_filter(user, self.model, scope)
        return self if condition is None else self.filter(condition)


CustomerScopedManager = models.Manager.from_queryset(CustomerScopedQuerySet)




class SalesRecordSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    IMPORT = "import", _("Imported")


class SalesRecord(models.Model):
    """One line of a customer's sales record book: what they bought from us, when, for how much."""

    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="sales_records"
    )
    occurred_on = models.DateField(_("date"))
    product = models.CharField(_("product"), max_length=120)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2, default=1)
    amount = models.DecimalField(_("amount (CNY)"), max_digits=14, decimal_places=2)
    source = models.CharField(
        _("source"), max_length=10, choices=SalesRecordSource.choices, default=SalesRecordSource.MANUAL
    )
    remarks = models.CharField(_("remarks"), max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    scope_owner_field = "customer__owner"
    scope_department_field = "customer__department"
    objects = CustomerScopedManager()

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("sales record")
        verbose_name_plural = _("sales records")
        indexes = [models.Index(fields=["customer", "occurred_on"], name="salesrecord_customer_date")]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.product} ¥{self.amount}"


class CardKind(models.TextChoices):
    """The archive cards of seed 000 (第四章): beyond the 客户资料卡 (the profile itself)."""

    CREDIT = "credit", _("Credit")
    PRICE = "price", _("Price agreement")
    EXPENSE = "expense", _("Expense and profit")
    COMPETITOR = "competitor", _("Regional competitor")
    CONSUMER_FEEDBACK = "consumer_feedback", _("Consumer feedback")
    DISTRIBUTOR_FEEDBACK = "distributor_feedback", _("Downstream distributor feedback")
    STRATEGY = "strategy", _("Customer strategy")


class Card(models.Model):
    """One archive card: a dated, authored note of one kind about a customer.

    What is queried (amounts, dates, the competitor and the product) has its own nullable
    column; the rest of a kind's fields sit in `details`. Which fields a kind has, their
    types and rules are in kehu.customers.cards (CARD_SPECS), shared by the service, the
    forms and the API.
    """

    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="cards"
    )
    kind = models.CharField(_("card type"), max_length=24, choices=CardKind.choices)
    card_date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=120)
    summary = models.TextField(_("summary"), blank=True)
    # Typed columns, null when the kind has no such field.
    credit_rating = models.CharField(_("credit rating"), max_length=3, choices=CreditRating.choices, blank=True)
    credit_limit = models.DecimalField(_("credit limit (CNY)"), max_digits=14, decimal_places=2, null=True, blank=True)
    product = models.CharField(_("product"), max_length=120, blank=True)
    unit_price = models.DecimalField(_("agreed price (CNY)"), max_digits=14, decimal_places=2, null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    expense = models.DecimalField(_("expense (CNY)"), max_digits=14, decimal_places=2, null=True, blank=True)
    profit = models.DecimalField(_("profit (CNY)"), max_digits=14, decimal_places=2, null=True, blank=True)
    competitor_name = models.CharField(_("competitor"), max_length=120, blank=True)
    contract_expires_on = models.DateField(_("competitor's contract expires"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+",
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_owner_field = "customer__owner"
    scope_department_field = "customer__department"
    objects = CustomerScopedManager()

    class Meta:
        ordering = ["-card_date", "-pk"]
        verbose_name = _("archive card")
        verbose_name_plural = _("archive cards")
        indexes = [
            models.Index(fields=["customer", "kind", "-card_date"], name="card_customer_kind_date"),
            models.Index(fields=["contract_expires_on"], name="card_contract_expires"),
            models.Index(fields=["valid_to"], name="card_valid_to"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.title}"


# --- what each kind of card holds -------------------------------------------------------------


@dataclass(frozen=True)
class CardField:
    """One field of a card kind. `column`: stored in the Card column of that name, else in `details`.

    `type` is text, textarea, decimal, date, choice or integer; `minimum` bounds decimals and
    integers. The service validates with these, the forms and the API describe them.
    """

    name: str
    label: Any
    type: str = "text"
    required: bool = False
    column: bool = False
    choices: tuple[tuple[str, Any], ...] = ()
    minimum: Decimal | None = None
    max_length: int = 500


CARD_COLUMNS = (
    "credit_rating", "credit_limit", "product", "unit_price", "valid_from", "valid_to", "expense", "profit",
    "competitor_name", "contract_expires_on",
)
ZERO = Decimal("0")
_FEEDBACK = CardField("feedback", _("feedback"), "textarea", required=True, max_length=2000)
_RESPONSE = CardField("response", _("our response"), "textarea", max_length=2000)

CARD_SPECS: dict[str, tuple[CardField, ...]] = {
    CardKind.CREDIT: (
        CardField("credit_rating", _("credit rating"), "choice", required=True, column=True,
                  choices=tuple(CreditRating.choices)),
        CardField("credit_limit", _("credit limit (CNY)"), "decimal", column=True, minimum=ZERO),
        CardField("payment_days", _("usual payment term (days)"), "integer", minimum=ZERO),
        CardField("payment_habits", _("payment habits"), "textarea", max_length=2000),
    ),
    CardKind.PRICE: (
        CardField("product", _("product"), required=True, column=True, max_length=120),
        CardField("unit_price", _("agreed price (CNY)"), "decimal", required=True, column=True, minimum=ZERO),
        CardField("valid_from", _("valid from"), "date", required=True, column=True),
        CardField("valid_to", _("valid to"), "date", column=True),
        CardField("terms", _("discounts and terms"), "textarea", max_length=2000),
    ),
    CardKind.EXPENSE: (
        CardField("expense_item", _("expense item"), max_length=120),
        CardField("expense", _("expense (CNY)"), "decimal", required=True, column=True, minimum=ZERO),
        CardField("revenue", _("revenue (CNY)"), "decimal", minimum=ZERO),
        CardField("profit", _("profit (CNY)"), "decimal", column=True),
    ),
    CardKind.COMPETITOR: (
        CardField("competitor_name", _("competitor"), required=True, column=True, max_length=120),
        CardField("competitor_products", _("their products"), "textarea", required=True, max_length=2000),
        CardField("contract_expires_on", _("their contract expires"), "date", column=True),
        CardField("competitor_terms", _("their prices and policies"), "textarea", max_length=2000),
    ),
    CardKind.CONSUMER_FEEDBACK: (
        CardField("product", _("product"), column=True, max_length=120),
        _FEEDBACK,
        _RESPONSE,
    ),
    CardKind.DISTRIBUTOR_FEEDBACK: (
        CardField("distributor", _("distributor"), required=True, max_length=120),
        _FEEDBACK,
        _RESPONSE,
    ),
    CardKind.STRATEGY: (
        CardField("objective", _("objective"), "textarea", required=True, max_length=2000),
        CardField("measures", _("measures"), "textarea", max_length=2000),
    ),
}


def card_fields(kind: str) -> tuple[CardField, ...]:
    return CARD_SPECS.get(kind, ())
