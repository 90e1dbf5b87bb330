"""The generated parts of docs/ match the code (`python -m scripts.gendocs` regenerates them)."""

from scripts.gendocs import main


def test_generated_docs_are_current() -> None:
    assert main(["--check"]) == 0, "run: .venv/bin/python -m scripts.gendocs"
