"""Customers API under /api/v1/customers: one router per part, added to one root router.

Parts whose paths start with a fixed word (/handovers, /pool, /abc, /level-rules,
/assessments, /search) are added BEFORE the customer router, whose /{customer_id} would otherwise
catch them.
"""

from ninja import Router

from kehu.customers.api.card import router as card_router
from kehu.customers.api.classification import router as classification_router
from kehu.customers.api.customer import router as customer_router
from kehu.customers.api.handover import router as handover_router
from kehu.customers.api.merge import router as merge_router
from kehu.customers.api.network import router as network_router
from kehu.customers.api.pool import router as pool_router
from kehu.customers.api.search import router as search_router
from kehu.customers.api.unmask import router as unmask_router

router = Router()
router.add_router("", handover_router)
router.add_router("", pool_router)
router.add_router("", classification_router)
router.add_router("", search_router)
router.add_router("", customer_router)
router.add_router("", card_router)
router.add_router("", network_router)
router.add_router("", merge_router)
router.add_router("", unmask_router)

__all__ = ["router"]
