"""Writes of the archive, one module per part; every door calls these (see customer.py)."""

from kehu.customers.services.card import (  # noqa: F401
    card_create,
    card_delete,
    card_update,
    card_values,
    sales_record_create,
    sales_record_delete,
    sales_record_update,
)
from kehu.customers.services.classification import (  # noqa: F401
    abc_limits,
    abc_recompute,
    assessment_create,
    classification_run,
    current_assessment_period,
    customer_level_clear,
    customer_level_set,
    customer_spend_estimate_set,
    level_rule_delete,
    level_rule_save,
    level_rules_replace,
    levels_apply,
    levels_recompute,
    levels_set_by_import,
    rolling_period,
)
from kehu.customers.services.customer import (  # noqa: F401
    CONTACT_FIELDS,
    CUSTOMER_FIELDS,
    DERIVED,
    StaleEdit,
    contact_create,
    contact_delete,
    contact_update,
    customer_create,
    customer_deactivate,
    customer_restore,
    customer_update,
    refresh_search_text,
)
from kehu.customers.services.handover import handover_create, register_handover_participant  # noqa: F401
from kehu.customers.services.merge import LOSER, SURVIVOR, MergeResult, customer_merge  # noqa: F401
from kehu.customers.services.network import (  # noqa: F401
    customer_clear_parent,
    customer_set_channel_role,
    customer_set_parent,
)
from kehu.customers.services.pool import (  # noqa: F401
    customer_claim,
    customer_record_followup,
    customer_release,
    customer_return_to_pool,
    customer_warn_before_return,
    pool_rules_update,
    pool_sweep,
)
from kehu.customers.services.search import saved_filter_delete, saved_filter_save  # noqa: F401
from kehu.customers.services.unmask import CONTACT_UNMASKABLE, UNMASKABLE, customer_unmask  # noqa: F401
