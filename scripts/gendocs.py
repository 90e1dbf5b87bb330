"""`python -m scripts.gendocs [--check]`: regenerate the parts of docs/ that come from the code.

A generated part sits between `<!-- BEGIN GENERATED: <name> -->` and `<!-- END GENERATED: <name> -->`:
`files` (docs/architecture.md) lists every module with the first line of its docstring;
`diagrams` (docs/sagas.md) draws every saga definition. `--check` fails when a part is stale.
"""

import ast
import re
import sys
from collections.abc import Callable
from pathlib import Path

from workflows.diagram import flowchart
from workflows.registry import DEFINITIONS

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "workflows", "activities", "api", "participants", "views", "http_contract",
    "temporal_client", "service_app", "participant_commands", "event_feed", "storage", "audit",
    "cli", "observability", "scripts", "bench", "migrations",
)  # fmt: skip
SKIPPED = ("versions", "__pycache__")


def summary(path: Path) -> str:
    """The first line of a module's docstring ('' when it has none)."""
    docstring = ast.get_docstring(ast.parse(path.read_text()))
    return docstring.strip().splitlines()[0] if docstring else ""


def modules(package: Path) -> list[Path]:
    found = sorted(package.rglob("*.py"))
    return [p for p in found if not any(part in SKIPPED for part in p.parts)]


def files_section() -> str:
    lines = [
        "| file | what it is |",
        "|---|---|",
        f"| `worker.py` | {summary(ROOT / 'worker.py')} |",
    ]
    for name in PACKAGES:
        package = ROOT / name
        if not package.is_dir():
            continue
        for path in modules(package):
            text = summary(path)
            if path.name == "__init__.py" and not text:
                continue
            lines.append(f"| `{path.relative_to(ROOT)}` | {text.replace('|', '/')} |")
    return "\n".join(lines)


def diagrams_section() -> str:
    parts = []
    for definition in DEFINITIONS.values():
        parts += [f"### {definition.saga_type} (version {definition.version})", ""]
        parts += ["```mermaid", flowchart(definition).rstrip(), "```", ""]
    return "\n".join(parts).rstrip()


SECTIONS: dict[str, tuple[str, Callable[[], str]]] = {
    "files": ("docs/architecture.md", files_section),
    "diagrams": ("docs/sagas.md", diagrams_section),
}


def regenerate(text: str, name: str, body: str) -> str:
    pattern = re.compile(
        rf"(<!-- BEGIN GENERATED: {name} -->\n).*?(<!-- END GENERATED: {name} -->)", re.S
    )
    if not pattern.search(text):
        raise SystemExit(f"no generated section {name!r}")
    return pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)


def main(argv: list[str]) -> int:
    stale = []
    for name, (document, make) in SECTIONS.items():
        path = ROOT / document
        current = path.read_text()
        fresh = regenerate(current, name, make())
        if fresh != current:
            stale.append(document)
            if "--check" not in argv:
                path.write_text(fresh)
    if stale and "--check" in argv:
        print(f"stale generated docs: {', '.join(stale)}; run python -m scripts.gendocs")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
