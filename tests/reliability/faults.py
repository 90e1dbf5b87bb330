"""Fault rules on a participant process (contract B: `when`, `drop`, `hits`)."""

from typing import Any

import httpx

from tests.reliability.stack import ProcessStack

Json = dict[str, Any]


async def add_rule(stack: ProcessStack, service: str, **rule: Any) -> Json:
    """Add a rule; fail unless the participant took every field as given (a participant that
    ignores `when` would act before the request and prove nothing about lost answers)."""
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.post(f"{stack.url(service)}/_faults", json=rule)
    assert response.status_code == 201, response.text
    added: Json = response.json()
    ignored = {name: value for name, value in rule.items() if added.get(name) != value}
    assert not ignored, f"{service} ignored fault fields {ignored} (contract B)"
    return added


async def clear_rules(stack: ProcessStack, service: str) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.delete(f"{stack.url(service)}/_faults")
    assert response.status_code == 204, response.text


async def rules_of(stack: ProcessStack, service: str) -> list[Json]:
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.get(f"{stack.url(service)}/_faults")
    assert response.status_code == 200, response.text
    rules: list[Json] = response.json()
    return rules
