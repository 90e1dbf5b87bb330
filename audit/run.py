"""One audit run: join the services' lists by order id, apply every rule, then the accounts.

Memory stays bounded by a page of each list, plus one running total per consumer that holds an
AUTHORIZED authorization (the account rule needs them once every authorization has been read).
"""

from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from audit.config import AuditConfig
from audit.merge import join_by_order
from audit.records import (
    Account,
    Authorization,
    Order,
    OrderRecords,
    Record,
    Ticket,
    ViewOrder,
    Violation,
)
from audit.rules import ACCOUNT_RULES, ORDER_RULES, Clock
from audit.sources import Source, records


@dataclass(frozen=True)
class OrderList:
    """A list keyed by order id: its record shape, where it is, what `checked` counts it as."""

    shape: type[Record]
    service: str
    records: str
    counted_as: str


ORDER_LISTS = {  # by the name OrderRecords gives the record
    "order": OrderList(Order, "orders", "orders", "orders"),
    "ticket": OrderList(Ticket, "kitchen", "tickets", "tickets"),
    "authorization": OrderList(Authorization, "accounting", "authorizations", "authorizations"),
    "view": OrderList(ViewOrder, "order_history", "orders", "view_orders"),
}


@dataclass
class Report:
    checked: Counter[str] = field(default_factory=Counter)
    violations: list[Violation] = field(default_factory=list)
    limit: int = 1000

    def add(self, violation: Violation) -> None:
        self.checked["violations"] += 1
        if len(self.violations) < self.limit:
            self.violations.append(violation)

    def body(self) -> dict[str, Any]:
        return {
            "ok": self.checked["violations"] == 0,
            "checked": dict(self.checked),
            "violations": [asdict(violation) for violation in self.violations],
        }


async def run_audit(
    http: httpx.AsyncClient, config: AuditConfig, now: datetime | None = None
) -> Report:
    settings = config.settings
    clock = Clock(now or datetime.now(UTC), timedelta(seconds=settings.pending_grace_seconds))
    report = Report(limit=settings.max_violations)
    report.checked.update(violations=0, rules=len(ORDER_RULES) + len(ACCOUNT_RULES))
    authorized = await _check_orders(http, config, clock, report)
    await _check_accounts(http, config, authorized, report)
    return report


def _source(config: AuditConfig, service: str, records_path: str) -> Source:
    return Source(
        f"{service} {records_path}", f"{config.base_url(service)}/internal/{records_path}"
    )


async def _check_orders(
    http: httpx.AsyncClient, config: AuditConfig, clock: Clock, report: Report
) -> Counter[str]:
    """Apply the order rules; answer the AUTHORIZED cents per consumer."""
    size = config.settings.page_size
    streams: dict[str, AsyncIterator[Record]] = {
        name: records(http, _source(config, kind.service, kind.records), kind.shape, size)
        for name, kind in ORDER_LISTS.items()
    }
    authorized: Counter[str] = Counter()
    async for order_id, found in join_by_order(streams):
        report.checked.update(ORDER_LISTS[name].counted_as for name in found)
        group = OrderRecords(order_id, **found)
        for rule in ORDER_RULES:
            if detail := rule.check(group, clock):
                report.add(Violation(rule.name, order_id, detail))
        if group.authorization and group.authorization.state == "AUTHORIZED":
            authorized[group.authorization.consumer_id] += group.authorization.amount_cents
    return authorized


async def _check_accounts(
    http: httpx.AsyncClient, config: AuditConfig, authorized: Counter[str], report: Report
) -> None:
    """Every account against its AUTHORIZED total, then the totals that have no account."""
    source = _source(config, "accounting", "accounts")
    async for account in records(http, source, Account, config.settings.page_size):
        report.checked["accounts"] += 1
        _apply_account_rules(
            account.consumer_id, account, authorized.pop(account.consumer_id, 0), report
        )
    for consumer_id, cents in sorted(authorized.items()):
        _apply_account_rules(consumer_id, None, cents, report)


def _apply_account_rules(
    consumer_id: str, account: Account | None, authorized: int, report: Report
) -> None:
    for rule in ACCOUNT_RULES:
        if detail := rule.check(consumer_id, account, authorized):
            report.add(Violation(rule.name, None, detail))
