"""The image holds every package its roles import: the Dockerfile copies it and .dockerignore lets
it into the build context."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROLES = [
    "api.main",
    "worker",
    "views.order_history.main",
    *(f"participants.{name}.main" for name in ("orders", "consumers", "kitchen", "accounting")),
    "storage.migrations",
    "cli.main",
]
LIST_LOCAL = (
    "import importlib, sys\n"
    f"for role in {ROLES!r}: importlib.import_module(role)\n"
    "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
)


def local_packages_imported() -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", LIST_LOCAL], cwd=ROOT, capture_output=True, text=True, check=True
    )
    names = set(result.stdout.split())
    return {name for name in names if (ROOT / name / "__init__.py").exists()}


def test_the_image_copies_every_package_its_roles_import() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    copied = set(re.findall(r"^COPY (\w+) \./\1$", dockerfile, flags=re.MULTILINE))
    allowed = set(re.findall(r"^!(\w+)/$", (ROOT / ".dockerignore").read_text(), re.MULTILINE))
    needed = local_packages_imported()
    assert needed - copied == set(), "not copied by the Dockerfile"
    assert needed - allowed == set(), "left out of the build context by .dockerignore"
