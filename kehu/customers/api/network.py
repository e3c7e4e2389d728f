"""Distribution network API (C4): a customer's network with roll-ups; set or clear its distributor;
set its channel role."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError

from kehu.customers import selectors, services
from kehu.customers.api.customer import E_WRITE, E
from kehu.customers.schemas.network import (
    ChannelRoleIn,
    NetworkOut,
    NetworkPeriodIn,
    ParentIn,
    ParentOut,
)

router = Router(tags=["network"])


def renamed(exc: ValidationError, aliases: dict[str, str]) -> ValidationError:
    """The service's field errors under the names the API's body uses."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({aliases.get(name, name): messages for name, messages in exc.message_dict.items()})


def network_out(network: selectors.Network) -> dict:
    keys = {id(node): index for index, node in enumerate(network.nodes)}
    by_pk = {node.customer.pk: node for node in network.nodes}
    nodes = []
    for index, node in enumerate(network.nodes):
        parent = by_pk.get(node.parent_id) if node.parent_id else None
        nodes.append({**node.as_dict(), "key": index, "parent_key": keys[id(parent)] if parent else None})
    return {
        "customer": {"id": network.root.customer.pk, "name": network.root.customer.name},
        "date_from": network.date_from, "date_to": network.date_to,
        "ancestors": [
            {"id": a.id, "name": a.name, "visible": a.visible, "channel_role": a.channel_role}
            for a in network.ancestors
        ],
        "nodes": nodes,
        "coverage": [vars(region) for region in network.coverage],
        "provinces": network.provinces, "cities": network.cities, "hidden": network.hidden,
        "truncated": network.truncated,
    }


def parent_out(user, customer) -> dict:
    node = selectors.parent_node(actor=user, customer=customer)
    parent = {"id": node.id, "name": node.name, "visible": node.visible} if node else None
    return {"id": customer.pk, "parent": parent, "channel_role": customer.channel_role, "version": customer.version}


@router.get("/{customer_id}/network", response={200: NetworkOut, **E}, url_name="network_get")
def network_get(request: HttpRequest, customer_id: int, period: Query[NetworkPeriodIn]):
    """The customer's distribution network below it, with counts and sales roll-ups over the period
    and coverage by region; customers outside your scope are masked and left out of the sums."""
    customer = selectors.customer_get(actor=request.user, pk=customer_id)
    network = selectors.network_get(
        actor=request.user, customer=customer, date_from=period.date_from, date_to=period.date_to
    )
    return network_out(network)


@router.put("/{customer_id}/parent", response={200: ParentOut, **E_WRITE}, url_name="network_parent_set")
def network_parent_set(request: HttpRequest, customer_id: int, payload: ParentIn):
    """Put the customer below a distributor in your scope; loops and self-links answer 422."""
    customer = selectors.customer_get(actor=request.user, pk=customer_id, action="edit")
    try:
        services.customer_set_parent(
            actor=request.user, customer=customer, parent=payload.parent_id, channel_role=payload.channel_role,
            version=payload.version,
        )
    except services.StaleEdit as exc:
        raise HttpError(409, str(exc)) from exc
    except ValidationError as exc:
        raise renamed(exc, {"parent": "parent_id"}) from exc
    return parent_out(request.user, customer)


@router.delete("/{customer_id}/parent", response={200: ParentOut, **E_WRITE}, url_name="network_parent_clear")
def network_parent_clear(request: HttpRequest, customer_id: int, version: int | None = None):
    """Take the customer out from under its distributor."""
    customer = selectors.customer_get(actor=request.user, pk=customer_id, action="edit")
    try:
        services.customer_clear_parent(actor=request.user, customer=customer, version=version)
    except services.StaleEdit as exc:
        raise HttpError(409, str(exc)) from exc
    return parent_out(request.user, customer)


@router.put("/{customer_id}/channel-role", response={200: ParentOut, **E_WRITE}, url_name="network_channel_role_set")
def network_channel_role_set(request: HttpRequest, customer_id: int, payload: ChannelRoleIn):
    """Set where the customer sits in the channel (总经销, 二批, 零售 …) without moving it in the
    network; an unknown role answers 422, an older version 409."""
    customer = selectors.customer_get(actor=request.user, pk=customer_id, action="edit")
    try:
        services.customer_set_channel_role(
            actor=request.user, customer=customer, channel_role=payload.channel_role, version=payload.version
        )
    except services.StaleEdit as exc:
        raise HttpError(409, str(exc)) from exc
    return parent_out(request.user, customer)
