"""Page forms of the archive, one module per part."""

from kehu.customers.forms.classification import (  # noqa: F401
    AbcPeriodForm,
    AbcRecomputeForm,
    AssessmentForm,
    LevelRuleForm,
    ManualLevelForm,
    SpendEstimateForm,
)
from kehu.customers.forms.customer import (  # noqa: F401
    CONTACT_FORM_FIELDS,
    CUSTOMER_FORM_FIELDS,
    DATE,
    ContactForm,
    CustomerFilterForm,
    CustomerForm,
)
from kehu.customers.forms.pool import PoolFilterForm, PoolRulesForm, ReleaseForm  # noqa: F401
from kehu.customers.forms.search import CustomerSearchForm, SavedFilterForm  # noqa: F401
