from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

CUSTOMER = "customers.customer"
CONTACT = "customers.contact"
HANDOVER = "customers.handover"
POOL_RULES = "customers.poolrules"
# Who edits the 公海 pool rules (system administrators, as superusers, always may).
POOL_RULES_GRANTS = {
    "gm": (("view", "edit"), "all"),
    "marketing_vp": (("view", "edit"), "all"),
    "sysadmin": (("view", "edit"), "all"),
}

EVERYTHING = ("view", "create", "edit", "delete", "export", "import", "transfer")
# role code -> (actions, scope). Salespeople keep their own customers; managers see their
# department's tree; the general manager and the marketing VP see everything; service,
# technical and quality staff look customers up but do not change them.
DEFAULT_GRANTS = {
    "salesperson": (("view", "create", "edit"), "own"),
    "account_specialist": (("view", "create", "edit", "export"), "department"),
    "partner": (("view", "create", "edit"), "department"),
    "consultant": (("view",), "department"),
    "business_manager": (EVERYTHING, "subtree"),
    "technical_engineer": (("view",), "all"),
    "technical_manager": (("view",), "all"),
    "customer_service": (("view",), "all"),
    "customer_service_manager": (("view", "export"), "all"),
    "admin_office": (("view",), "all"),
    "qc": (("view",), "all"),
    "marketing_vp": (EVERYTHING, "all"),
    "gm": (EVERYTHING, "all"),
    "sysadmin": (EVERYTHING, "all"),
}
# Who may reveal one masked field of a customer they see (logged): customer service calls
# customers back; managers see personal data anyway, the tick keeps their grant complete.
UNMASK = "unmask"
UNMASK_ROLES = ("customer_service", "customer_service_manager", "business_manager", "marketing_vp", "gm", "sysadmin")
CUSTOMER_GRANTS = {
    role: ((*actions, UNMASK) if role in UNMASK_ROLES else actions, scope)
    for role, (actions, scope) in DEFAULT_GRANTS.items()
}

# Handovers (C9) are done and read by those who may transfer customers.
HANDOVER_GRANTS = {
    "business_manager": (("view", "create"), "subtree"),
    "marketing_vp": (("view", "create"), "all"),
    "gm": (("view", "create"), "all"),
    "sysadmin": (("view", "create"), "all"),
}


class CustomersConfig(AppConfig):
    """The customer archive (客户档案): customers, contacts, 查重."""

    name = "kehu.customers"
    label = "customers"
    verbose_name = _("Customers")

    def ready(self) -> None:
        from kehu.accounts.permissions import ACTION_LABELS, ACTIONS, can, register_record_type
        from kehu.core.audit.masking import mask_all, mask_email, mask_id, mask_phone
        from kehu.core.audit.registry import register_audited
        from kehu.core.customfields.registry import register_custom_fields
        from kehu.core.demo import register_demo_seeder
        from kehu.core.navigation import NavItem, register_nav
        from kehu.customers.demo import seed_customers
        from kehu.customers.models import Contact, Customer

        ACTION_LABELS.setdefault(UNMASK, _("Reveal personal data"))
        register_record_type(CUSTOMER, _("Customer"), actions=(*ACTIONS, UNMASK), default_grants=CUSTOMER_GRANTS)
        # Contacts follow their customer's scope; the grants mirror the customer's.
        register_record_type(CONTACT, _("Contact"), default_grants=DEFAULT_GRANTS)
        register_audited(
            Customer,
            exclude=("name_key", "name_pinyin", "phone_digits", "search_text", "version"),
            masked={"phone": mask_phone, "id_number": mask_id, "birthday": mask_all},
        )
        register_audited(
            Contact,
            exclude=("mobile_digits", "phone_digits", "version"),
            masked={
                "mobile": mask_phone, "phone": mask_phone, "fax": mask_phone, "email": mask_email,
                "wechat": mask_all, "qq": mask_all, "birthday": mask_all, "family_notes": mask_all,
            },
        )
        register_nav(
            NavItem(
                key="customers", label=_("Customers"), url_name="customers:customer_list", order=100,
                allowed=lambda user: can(user, CUSTOMER, "view"),
            )
        )
        register_demo_seeder(seed_customers, order=200, key="customers")
        register_custom_fields(CUSTOMER, Customer, verbose_name=_("Customer"))
        register_custom_fields(CONTACT, Contact, verbose_name=_("Contact"))
        self._ready_cards()
        self._ready_network_and_handover()
        self._ready_pool(register_record_type, register_audited, register_nav, NavItem, can)
        self._ready_classification()
        self._ready_transfer()
        self._ready_search_index()

    def _ready_cards(self) -> None:
        """Archive cards and the sales record book: audited, on the 360° timeline, in the demo."""
        from kehu.core.audit.registry import register_audited
        from kehu.core.demo import register_demo_seeder
        from kehu.customers.demo_cards import seed_cards
        from kehu.customers.models import Card, SalesRecord
        from kehu.customers.selectors.card import timeline_cards, timeline_changes, timeline_sales
        from kehu.customers.timeline import register_timeline_source

        register_audited(Card, exclude=("version",))
        register_audited(SalesRecord, exclude=("version",))
        register_timeline_source("customers.changes", timeline_changes)
        register_timeline_source("customers.cards", timeline_cards)
        register_timeline_source("customers.sales_records", timeline_sales)
        register_demo_seeder(seed_cards, order=210, key="customer_cards")

    def _ready_network_and_handover(self) -> None:
        """The distribution network (C4) and handover (C9)."""
        from kehu.accounts.permissions import can, register_record_type
        from kehu.core.audit.registry import register_audited
        from kehu.core.demo import register_demo_seeder
        from kehu.core.navigation import NavItem, register_nav
        from kehu.customers.demo_network import seed_network
        from kehu.customers.models import Handover

        register_record_type(HANDOVER, _("Handover"), default_grants=HANDOVER_GRANTS)
        register_audited(Handover)
        register_nav(
            NavItem(
                key="customer_handovers", label=_("Handovers"), url_name="customers:handover_list", order=105,
                allowed=lambda user: can(user, HANDOVER, "view"),
            )
        )
        register_demo_seeder(seed_network, order=220, key="customer_network")

    @staticmethod
    def _ready_pool(register_record_type, register_audited, register_nav, NavItem, can) -> None:
        """The 公海 pool (C8): its rules' rights, change log and menu entry."""
        from kehu.customers.models import PoolRules

        register_record_type(POOL_RULES, _("Public pool rules"), actions=("view", "edit"),
                             default_grants=POOL_RULES_GRANTS)
        register_audited(PoolRules, exclude=("version",))
        register_nav(
            NavItem(
                key="customer_pool", label=_("Public pool"), url_name="customers:pool_list", order=105,
                allowed=lambda user: can(user, CUSTOMER, "view"),
            )
        )

    @staticmethod
    def _ready_classification() -> None:
        """Classification (C5): rights are the customer's (see services/classification.py)."""
        from kehu.accounts.permissions import can
        from kehu.core.audit.registry import register_audited
        from kehu.core.navigation import NavItem, register_nav
        from kehu.customers.models import CustomerClassification, DistributorAssessment, LevelRule

        register_audited(LevelRule, exclude=("version",))
        register_audited(CustomerClassification, exclude=("version",))
        register_audited(DistributorAssessment)
        register_nav(
            NavItem(
                key="customers_abc", label=_("ABC analysis"), url_name="customers:abc_table", order=106,
                allowed=lambda user: can(user, CUSTOMER, "view"),
            )
        )

    @staticmethod
    def _ready_transfer() -> None:
        """Import and export (P9)."""
        from kehu.core.transfer.registry import register_exporter, register_importer
        from kehu.customers.selectors.transfer import CustomerExporter
        from kehu.customers.services.transfer import CustomerImporter

        register_importer(CustomerImporter())
        register_exporter(CustomerExporter())

    @staticmethod
    def _ready_search_index() -> None:
        """The SQLite search index (search_index.py): its SQL function, its triggers after migrate."""
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from kehu.customers import search_index

        connection_created.connect(search_index.install_functions, dispatch_uid="kehu.customers.search_functions")
        post_migrate.connect(search_index.ensure, dispatch_uid="kehu.customers.search_index")
