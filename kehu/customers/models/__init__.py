"""Tables of the archive, one module per part: customer.py (customers, contacts, tags) …"""

from kehu.customers.models.card import (  # noqa: F401
    CARD_COLUMNS,
    CARD_SPECS,
    Card,
    CardField,
    CardKind,
    SalesRecord,
    SalesRecordSource,
    card_fields,
)
from kehu.customers.models.classification import (  # noqa: F401
    AbcClass,
    AbcRow,
    AbcSnapshot,
    CustomerClassification,
    DistributorAssessment,
    LevelRule,
    LevelSource,
    Verdict,
)
from kehu.customers.models.customer import (  # noqa: F401
    Contact,
    CreditRating,
    Customer,
    CustomerKind,
    DecisionRole,
    EconomicNature,
    Level,
    RelationshipStatus,
    Scale,
    Source,
    Tag,
)
from kehu.customers.models.handover import Handover, HandoverItem, HandoverMode  # noqa: F401
from kehu.customers.models.network import ChannelRole  # noqa: F401
from kehu.customers.models.pool import PoolEvent, PoolEventKind, PoolReason, PoolRules, PoolWarning  # noqa: F401
from kehu.customers.models.search import SavedFilter  # noqa: F401
