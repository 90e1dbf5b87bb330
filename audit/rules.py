"""The consistency rules, as data: one small function per rule, named in the table at the end.

An order rule looks at everything the services hold about one order id and answers what is wrong,
or None. Orders in flight (`*_PENDING`) are only checked for how long they have been locked.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from audit.records import Account, OrderRecords

# A ticket the kitchen has accepted, or any state the kitchen moves it to afterwards.
TICKET_ACCEPTED_OR_LATER = {"AWAITING_ACCEPTANCE", "ACCEPTED", "PREPARING", "READY_FOR_PICKUP"}


@dataclass(frozen=True)
class Clock:
    now: datetime
    grace: timedelta

    def stale(self, updated_at: datetime) -> bool:
        return updated_at < self.now - self.grace


OrderCheck = Callable[[OrderRecords, Clock], str | None]
AccountCheck = Callable[[str, Account | None, int], str | None]


@dataclass(frozen=True)
class Rule:
    name: str
    check: OrderCheck


@dataclass(frozen=True)
class AccountRule:
    name: str
    check: AccountCheck


def _state(record: object) -> str | None:
    return getattr(record, "state", None)


def approved_order_has_ticket(r: OrderRecords, _: Clock) -> str | None:
    if _state(r.order) == "APPROVED" and _state(r.ticket) not in TICKET_ACCEPTED_OR_LATER:
        return f"order APPROVED, ticket {_state(r.ticket)}"
    return None


def approved_order_is_authorized(r: OrderRecords, _: Clock) -> str | None:
    if r.order is None or r.order.state != "APPROVED":
        return None
    auth = r.authorization
    if auth is None or auth.state != "AUTHORIZED" or auth.amount_cents != r.order.total_cents:
        held = f"{auth.state} of {auth.amount_cents}" if auth else "none"
        return f"order APPROVED for {r.order.total_cents} cents, authorization {held}"
    return None


def rejected_order_has_no_ticket(r: OrderRecords, _: Clock) -> str | None:
    if _state(r.order) == "REJECTED" and _state(r.ticket) not in (None, "REJECTED"):
        return f"order REJECTED, ticket {_state(r.ticket)}"
    return None


def rejected_order_is_not_charged(r: OrderRecords, _: Clock) -> str | None:
    if _state(r.order) == "REJECTED" and _state(r.authorization) == "AUTHORIZED":
        return "order REJECTED, authorization AUTHORIZED"
    return None


def cancelled_order_ticket_cancelled(r: OrderRecords, _: Clock) -> str | None:
    if _state(r.order) == "CANCELLED" and _state(r.ticket) != "CANCELLED":
        return f"order CANCELLED, ticket {_state(r.ticket)}"
    return None


def cancelled_order_is_refunded(r: OrderRecords, _: Clock) -> str | None:
    if _state(r.order) == "CANCELLED" and _state(r.authorization) != "REVERSED":
        return f"order CANCELLED, authorization {_state(r.authorization)}"
    return None


def no_stale_semantic_lock(r: OrderRecords, clock: Clock) -> str | None:
    stale = [
        f"{kind} {record.state} since {record.updated_at.isoformat()}"
        for kind, record in (("order", r.order), ("ticket", r.ticket))
        if record is not None
        and record.state.endswith("_PENDING")
        and clock.stale(record.updated_at)
    ]
    return ", ".join(stale) or None


def no_orphan_record(r: OrderRecords, _: Clock) -> str | None:
    if r.order is not None:
        return None
    orphans = [
        kind for kind, rec in (("ticket", r.ticket), ("authorization", r.authorization)) if rec
    ]
    return f"{' and '.join(orphans)} without an order" if orphans else None


def view_matches_participants(r: OrderRecords, _: Clock) -> str | None:
    """The order-history view says what the participants say (once it has caught up)."""
    truth = (
        _state(r.order),
        _state(r.ticket),
        _state(r.authorization),
        r.order.total_cents if r.order else None,
    )
    view = r.view
    seen = (
        (view.state, view.ticket_state, view.authorization_state, view.total_cents)
        if view
        else None
    )
    if r.order is None and view is None:
        return None
    if seen != truth:
        return f"view {seen}, participants {truth} (order, ticket, authorization, total)"
    return None


def account_balanced(consumer_id: str, account: Account | None, authorized: int) -> str | None:
    """What an account has lent is exactly what its AUTHORIZED authorizations hold."""
    if account is None:
        return f"consumer {consumer_id}: {authorized} cents AUTHORIZED without an account"
    lent = account.credit_limit_cents - account.available_cents
    if lent != authorized:
        return f"consumer {consumer_id}: limit - available = {lent}, AUTHORIZED = {authorized}"
    return None


ORDER_RULES = [
    Rule("approved_order_has_ticket", approved_order_has_ticket),
    Rule("approved_order_is_authorized", approved_order_is_authorized),
    Rule("rejected_order_has_no_ticket", rejected_order_has_no_ticket),
    Rule("rejected_order_is_not_charged", rejected_order_is_not_charged),
    Rule("cancelled_order_ticket_cancelled", cancelled_order_ticket_cancelled),
    Rule("cancelled_order_is_refunded", cancelled_order_is_refunded),
    Rule("no_stale_semantic_lock", no_stale_semantic_lock),
    Rule("no_orphan_record", no_orphan_record),
    Rule("view_matches_participants", view_matches_participants),
]
ACCOUNT_RULES = [AccountRule("account_balanced", account_balanced)]
