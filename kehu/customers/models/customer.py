"""The customer archive (客户档案): customers, their contacts and tags.

Fields follow REQUIREMENTS C1/C2 and the seeds (000 客户档案, 001 客户档案/分类, 004 客户资料).
A customer without owner sits in the 公海 pool. `department` is the owner's department
when the customer was assigned: it is what department and subtree scopes compare.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kehu.accounts.permissions import ScopedManager
from kehu.customers.models.network import ChannelRole
from kehu.customers.models.pool import PoolReason


class CustomerKind(models.TextChoices):
    COMPANY = "company", _("Company")
    INDIVIDUAL = "individual", _("Individual")


class RelationshipStatus(models.TextChoices):
    """C6: 意向 → 在谈 → 成交/合作; long-term nurture; lost (004)."""

    INTENT = "intent", _("Intent")
    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Signed")
    COOPERATING = "cooperating", _("Cooperating")
    NURTURE = "nurture", _("Long-term nurture")
    LOST = "lost", _("Lost")


class Level(models.TextChoices):
    """The customer pyramid (002): set by the level rules, or by hand with a reason (C5, `customer_level_set`)."""

    BASE = "base", _("Base (tower foot)")
    MIDDLE = "middle", _("Middle (tower body)")
    TOP = "top", _("Top (tower tip)")


class Source(models.TextChoices):
    TELEMARKETING = "telemarketing", _("Telemarketing")
    WEBSITE = "website", _("Website enquiry")
    EXHIBITION = "exhibition", _("Exhibition")
    REFERRAL = "referral", _("Referral")
    ADVERTISING = "advertising", _("Advertising")
    COLD_VISIT = "cold_visit", _("Cold visit")
    PARTNER = "partner", _("Partner channel")
    HOTLINE = "hotline", _("Hotline")
    OTHER = "other", _("Other")


class Scale(models.TextChoices):
    MICRO = "micro", _("Micro (under 10 staff)")
    SMALL = "small", _("Small (10-99 staff)")
    MEDIUM = "medium", _("Medium (100-999 staff)")
    LARGE = "large", _("Large (1000+ staff)")


class EconomicNature(models.TextChoices):
    STATE = "state", _("State-owned")
    COLLECTIVE = "collective", _("Collective")
    PRIVATE = "private", _("Private")
    FOREIGN = "foreign", _("Foreign-invested")
    JOINT = "joint", _("Joint venture")
    INDIVIDUAL = "individual", _("Individual business")
    GOVERNMENT = "government", _("Government or institution")
    OTHER = "other", _("Other")


class CreditRating(models.TextChoices):
    AAA = "AAA", "AAA"
    AA = "AA", "AA"
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"


class DecisionRole(models.TextChoices):
    """A contact's part in the buying decision (004: 决策人/关键人/联络人)."""

    DECISION_MAKER = "decision_maker", _("Decision maker")
    KEY_PERSON = "key_person", _("Key person")
    INFLUENCER = "influencer", _("Influencer")
    USER = "user", _("User")
    GATEKEEPER = "gatekeeper", _("Gatekeeper")
    LIAISON = "liaison", _("Liaison")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=30, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Customer(models.Model):
    kind = models.CharField(_("type"), max_length=12, choices=CustomerKind.choices, default=CustomerKind.COMPANY)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    industry = models.CharField(_("industry"), max_length=60, blank=True)
    business_function = models.CharField(_("business function"), max_length=60, blank=True)
    province = models.CharField(_("province"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=30, blank=True)
    district = models.CharField(_("district"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    economic_nature = models.CharField(
        _("economic nature"), max_length=12, choices=EconomicNature.choices, blank=True
    )
    scale = models.CharField(_("scale"), max_length=8, choices=Scale.choices, blank=True)
    network_coverage = models.CharField(_("sales network coverage"), max_length=200, blank=True)
    main_business = models.TextField(_("main business and performance"), blank=True)
    credit_rating = models.CharField(_("credit rating"), max_length=3, choices=CreditRating.choices, blank=True)
    credit_limit = models.DecimalField(
        _("credit limit (CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, blank=True)
    status = models.CharField(
        _("relationship status"), max_length=12, choices=RelationshipStatus.choices,
        default=RelationshipStatus.INTENT,
    )
    level = models.CharField(_("level"), max_length=8, choices=Level.choices, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="customers")
    # Individuals (C1): ID number, masked wherever it is shown, and birthday.
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="customers",
    )
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="customers",
    )
    remarks = models.TextField(_("remarks"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="merged_aliases",
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    # Derived by services, never typed: the duplicate key and the search text.
    name_key = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    phone_digits = models.CharField(max_length=20, blank=True, editable=False, db_index=True)
    search_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Values of the custom fields (P13), keyed by definition key; see kehu.core.customfields.engine.
    custom = models.JSONField(_("custom fields"), default=dict, blank=True)
    # The distribution network (C4, see network.py): the distributor this customer buys through.
    parent = models.ForeignKey(
        "self", verbose_name=_("distributor above"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="children", db_index=False,  # indexed below, only where set
    )
    channel_role = models.CharField(_("channel role"), max_length=10, choices=ChannelRole.choices, blank=True)
    # The 公海 pool (C8, models/pool.py): dates the return rule derives its due date from.
    last_followup_at = models.DateTimeField(_("last effective follow-up"), null=True, blank=True, editable=False)
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True, editable=False)
    released_at = models.DateTimeField(_("released to the pool"), null=True, blank=True, editable=False)
    previous_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("previous owner"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False,
    )
    pool_reason = models.CharField(
        _("why in the pool"), max_length=12, choices=PoolReason.choices, blank=True, editable=False
    )
    # Derived: the name in pinyin, for sorting the list by pronunciation (C11).
    name_pinyin = models.CharField(max_length=400, blank=True, editable=False)

    scope_owner_field = "owner"
    scope_department_field = "department"
    objects = ScopedManager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code="") & Q(merged_into__isnull=True),
                name="customer_unique_credit_code",
            ),
            models.UniqueConstraint(
                fields=["name_key", "city"],
                condition=Q(kind="company") & ~Q(name_key="") & Q(merged_into__isnull=True),
                name="customer_unique_name_in_city",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "-updated_at"], name="customer_owner_updated"),
            models.Index(fields=["department", "-updated_at"], name="customer_dept_updated"),
            # The list's own order (-updated_at, -id) for those who see everything.
            models.Index(fields=["-updated_at", "-id"], name="customer_updated"),
            # The pool list and the daily pool job.
            models.Index(
                fields=["department", "-updated_at"], condition=Q(owner__isnull=True), name="customer_pool_dept"
            ),
            models.Index(
                fields=["level", "last_followup_at", "assigned_at"], condition=Q(owner__isnull=False),
                name="customer_pool_due",
            ),
            models.Index(fields=["name_pinyin", "id"], name="customer_name_pinyin"),
            # The network's children lookups. Partial: most customers have no distributor above,
            # and a full index's statistics (one value, NULL, for nearly every row) make SQLite
            # scan the table in the tree's recursive query instead of using the index.
            models.Index(fields=["parent"], condition=Q(parent__isnull=False), name="customer_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def in_pool(self) -> bool:
        """In the 公海 pool: nobody owns it."""
        return self.owner_id is None

    @property
    def region(self) -> str:
        return " ".join(part for part in (self.province, self.city, self.district) if part)


class Contact(models.Model):
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=60)
    position = models.CharField(_("position"), max_length=60, blank=True)
    department_name = models.CharField(_("department"), max_length=60, blank=True)
    decision_role = models.CharField(
        _("role in the decision"), max_length=16, choices=DecisionRole.choices, blank=True
    )
    mobile = models.CharField(_("mobile"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    fax = models.CharField(_("fax"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    wechat = models.CharField(_("WeChat"), max_length=60, blank=True)
    qq = models.CharField(_("QQ"), max_length=20, blank=True)
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    family_notes = models.TextField(_("family notes"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    remarks = models.TextField(_("remarks"), blank=True)
    mobile_digits = models.CharField(max_length=20, blank=True, editable=False, db_index=True)
    phone_digits = models.CharField(max_length=20, blank=True, editable=False, db_index=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    custom = models.JSONField(_("custom fields"), default=dict, blank=True)

    # A contact is in scope when its customer is.
    scope_owner_field = "customer__owner"
    scope_department_field = "customer__department"
    objects = ScopedManager()

    class Meta:
        ordering = ["-is_primary", "name", "pk"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name
