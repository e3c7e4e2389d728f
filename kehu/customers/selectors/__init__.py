"""Reads of the archive, one module per part; every list starts from .visible_to(user)."""

from kehu.customers.selectors.card import (  # noqa: F401
    SalesTotals,
    card_get,
    cards_for,
    competitor_contracts_expiring,
    sales_record_get,
    sales_records_for,
    sales_totals,
)
from kehu.customers.selectors.classification import (  # noqa: F401
    abc_row_for,
    abc_rows,
    abc_snapshot,
    abc_snapshots,
    assessments,
    assessments_due,
    classification_of,
    level_rules,
)
from kehu.customers.selectors.customer import (  # noqa: F401
    MAX_MATCHES,
    SCORE_CREDIT_CODE,
    SCORE_NAME,
    SCORE_NAME_SAME_CITY,
    SCORE_PHONE,
    SCORE_SIMILAR_NAME,
    SEPARATOR,
    DuplicateMatch,
    contact_get,
    contact_list,
    contacts_for,
    customer_detail_queryset,
    customer_get,
    customer_list,
    describe_match,
    find_duplicates,
    find_duplicates_unchecked,
    masked_contact_fields,
    masked_customer_fields,
    may_see_personal_data,
    search_term,
    search_text_for,
)
from kehu.customers.selectors.handover import (  # noqa: F401
    HandoverPlan,
    handover_get,
    handover_items,
    handover_list,
    handover_plan,
    handover_users,
)
from kehu.customers.selectors.merge import (  # noqa: F401
    MERGE_FIELDS,
    customer_links,
    merge_candidates,
    merge_pair,
    merge_preview,
    merge_problems,
)
from kehu.customers.selectors.network import (  # noqa: F401
    Network,
    NetworkNode,
    ancestor_ids,
    network_get,
    network_summary,
    parent_candidates,
    parent_node,
    subtree_ids,
)
from kehu.customers.selectors.pool import (  # noqa: F401
    claim_allowance,
    pool_get,
    pool_get_for_claim,
    pool_list,
    pool_rules_for,
    pool_rules_get,
    pool_schedule,
)
from kehu.customers.selectors.search import (  # noqa: F401
    SORT_LABELS,
    SORTS,
    clean_query,
    customer_search,
    pinyin_sort_key,
    saved_filters_for,
)
