"""The distribution network (C4): where a customer sits in the manufacturer's channel.

A customer's `parent` (on Customer) is the distributor it buys through: 总经销/一批 →
二批 → 零售/终端 → end user, any depth. The tree is read by selectors/network.py with
one recursive query; services/network.py refuses cycles.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import pgettext_lazy


class ChannelRole(models.TextChoices):
    """The customer's place in the channel, as the manufacturer names it (000 第四章)."""

    GENERAL_DISTRIBUTOR = "general", pgettext_lazy("channel role", "General distributor (first tier)")
    SUB_DISTRIBUTOR = "sub", pgettext_lazy("channel role", "Sub-distributor (second tier)")
    RETAILER = "retail", pgettext_lazy("channel role", "Retailer / outlet")
    END_USER = "end_user", pgettext_lazy("channel role", "End user")
