"""Pages of the archive, one module per part; thin: they call services and selectors."""

from kehu.customers.views.card import (  # noqa: F401
    card_create,
    card_delete,
    card_edit,
    card_section,
    customer_timeline,
    sales_record_create,
    sales_record_delete,
    sales_record_edit,
    sales_section,
)
from kehu.customers.views.classification import (  # noqa: F401
    abc_recompute,
    abc_table,
    assessment_create,
    assessments_due,
    classification_estimate,
    classification_level,
    level_rule_delete,
    level_rule_edit,
    level_rules,
)
from kehu.customers.views.customer import (  # noqa: F401
    PAGE_SIZE,
    contact_create,
    contact_delete,
    contact_edit,
    customer_create,
    customer_deactivate,
    customer_detail,
    customer_edit,
    customer_list,
    customer_restore,
    duplicate_check,
)
from kehu.customers.views.handover import handover_create, handover_detail, handover_list  # noqa: F401
from kehu.customers.views.merge import merge_customer  # noqa: F401
from kehu.customers.views.network import (  # noqa: F401
    network_parent,
    network_parent_clear,
    network_parent_search,
    network_tree,
)
from kehu.customers.views.pool import pool_claim, pool_list, pool_release, pool_rules  # noqa: F401
from kehu.customers.views.search import search_saved_filter_delete, search_saved_filter_save  # noqa: F401
from kehu.customers.views.transfer import customer_export  # noqa: F401
from kehu.customers.views.unmask import unmask_field  # noqa: F401
