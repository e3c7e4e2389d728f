"""API schemas of the archive, one module per part."""

from kehu.customers.schemas.card import (  # noqa: F401
    CardCreateIn,
    CardFilter,
    CardOut,
    CardUpdateIn,
    SalesPeriod,
    SalesRecordCreateIn,
    SalesRecordOut,
    SalesRecordUpdateIn,
    SalesTotalsOut,
)
from kehu.customers.schemas.classification import (  # noqa: F401
    AbcPageOut,
    AbcQuery,
    AbcRecomputeIn,
    AbcRecomputeOut,
    AbcRowOut,
    AbcSnapshotOut,
    AssessmentFilter,
    AssessmentIn,
    AssessmentOut,
    ClassificationOut,
    LevelIn,
    LevelRuleOut,
    LevelRulesIn,
    SpendEstimateIn,
)
from kehu.customers.schemas.customer import (  # noqa: F401
    ContactCreateIn,
    ContactFields,
    ContactOut,
    ContactUpdateIn,
    CustomerCreateIn,
    CustomerDetailOut,
    CustomerFields,
    CustomerFilter,
    CustomerOut,
    CustomerUpdateIn,
    DuplicateCheckIn,
    DuplicateCheckOut,
    DuplicateMatchOut,
    Ref,
)
from kehu.customers.schemas.merge import (  # noqa: F401
    MergeFieldOut,
    MergeIn,
    MergeMoveOut,
    MergeOut,
    MergePreviewIn,
    MergePreviewOut,
    MergeSideOut,
    UnmaskIn,
    UnmaskOut,
)
from kehu.customers.schemas.pool import (  # noqa: F401
    ClaimAllowanceOut,
    ClaimOut,
    PoolCustomerOut,
    PoolFilter,
    PoolRulesIn,
    PoolRulesOut,
    ReleaseIn,
    ReleaseOut,
)
from kehu.customers.schemas.search import SavedFilterIn, SavedFilterOut  # noqa: F401
