from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

CUSTOMER = "customers.customer"
CONTACT = "customers.contact"

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


class CustomersConfig(AppConfig):
    """The customer archive (客户档案): customers, contacts, 查重."""

    name = "kehu.customers"
    label = "customers"
    verbose_name = _("Customers")

    def ready(self) -> None:
        from kehu.accounts.permissions import can, register_record_type
        from kehu.core.audit.masking import mask_all, mask_email, mask_id, mask_phone
        from kehu.core.audit.registry import register_audited
        from kehu.core.demo import register_demo_seeder
        from kehu.core.navigation import NavItem, register_nav
        from kehu.customers.demo import seed_customers
        from kehu.customers.models import Contact, Customer

        register_record_type(CUSTOMER, _("Customer"), default_grants=DEFAULT_GRANTS)
        # Contacts follow their customer's scope; the grants mirror the customer's.
        register_record_type(CONTACT, _("Contact"), default_grants=DEFAULT_GRANTS)
        register_audited(
            Customer,
            exclude=("name_key", "phone_digits", "search_text", "version"),
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
