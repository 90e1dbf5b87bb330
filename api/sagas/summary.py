"""The static summary and details of a saga in the Temporal Web UI, from its input's fields.

A one-line summary and a short Markdown of the input, derived from the saga input's dataclass
fields, whatever the saga. Only plain values and lists are shown; the options and the attempt
counter are left out (the attempt shows in the summary when it is not the first)."""

import dataclasses
from typing import Any

LEFT_OUT = {"options", "attempt"}
SHORT_ID = 8  # the summary shows this many characters of a longer id


def static_summary(saga_type: str, saga_input: Any, attempt: int = 1) -> str:
    """e.g. `CreateOrder · order 1a2b3c4d… · consumer c-7 · restaurant r-3 · 2 line items`."""
    parts = [saga_type]
    for name, value in _shown(saga_input):
        if isinstance(value, list):
            label = _label(name) if len(value) != 1 else _label(name).removesuffix("s")
            parts.append(f"{len(value)} {label}")
        elif name.endswith("_id"):
            parts.append(f"{_label(name.removesuffix('_id'))} {_short(str(value))}")
    if attempt > 1:
        parts.append(f"attempt {attempt}")
    return " · ".join(parts)


def static_details(saga_input: Any) -> str:
    """The saga input as Markdown: a bullet per plain value, a bullet list per list."""
    plain = [
        f"* **{_label(name)}**: `{_code(value)}`"
        for name, value in _shown(saga_input)
        if not isinstance(value, list)
    ]
    lists = [
        f"**{_label(name)}**\n\n{_items(value)}"
        for name, value in _shown(saga_input)
        if isinstance(value, list)
    ]
    return "\n\n".join(["\n".join(plain), *lists])


def _shown(saga_input: Any) -> list[tuple[str, Any]]:
    values = [(f.name, getattr(saga_input, f.name)) for f in dataclasses.fields(saga_input)]
    return [(name, value) for name, value in values if name not in LEFT_OUT and _plain(value)]


def _plain(value: Any) -> bool:
    return isinstance(value, str | int | float | bool | list)


def _items(items: list[Any]) -> str:
    """One bullet per item; a dataclass item as its fields, e.g. `menu_item_id: curry · quantity: 2`."""
    if not items:
        return "(none)"
    return "\n".join(f"* {_item(item)}" for item in items)


def _item(item: Any) -> str:
    if not dataclasses.is_dataclass(item) or isinstance(item, type):
        return f"`{_code(item)}`"
    return " · ".join(
        f"{f.name}: `{_code(getattr(item, f.name))}`" for f in dataclasses.fields(item)
    )


def _label(name: str) -> str:
    return name.replace("_", " ")


def _short(value: str) -> str:
    return value if len(value) <= SHORT_ID + 4 else value[:SHORT_ID] + "…"


def _code(value: Any) -> str:
    """A value that cannot break the Markdown around it: one line, no backticks nor pipes."""
    return " ".join(str(value).split()).replace("`", "'").replace("|", "/")
