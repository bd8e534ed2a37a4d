"""The README's console examples print what the README shows (scripts/update_readme_examples.py
rewrites the shown outputs from live runs after a change, e.g. a retrained model)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from .conftest import ROOT

_SPEC = importlib.util.spec_from_file_location("update_readme_examples", ROOT / "scripts" / "update_readme_examples.py")
assert _SPEC is not None and _SPEC.loader is not None
readme_examples = sys.modules[_SPEC.name] = importlib.util.module_from_spec(_SPEC)  # dataclasses look it up
_SPEC.loader.exec_module(readme_examples)

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_shows_console_examples_with_output() -> None:
    commands = [example.command for example in readme_examples.examples(README)]
    assert "forumminer demo -o out/demo" in commands
    assert "forumminer label corpora/sample -o labeled.csv" in commands
    assert sum(command.startswith("forumminer passages") for command in commands) == 2  # the error examples


def test_readme_console_examples_print_what_the_readme_shows(tmp_path: Path) -> None:
    drifted = [f"$ {example.command}\nREADME shows:\n{example.output}it prints:\n{live}"
               for example, live in readme_examples.run_examples(README, tmp_path)
               if not readme_examples.matches(example.output, live)]
    assert not drifted, "run python scripts/update_readme_examples.py\n" + "\n".join(drifted)


def test_update_rewrites_only_the_outputs() -> None:
    readme = "text\n```console\n$ echo new\nold\nlines\n$ forumminer x\n```\n$ echo kept\nkept\n"
    (example,) = readme_examples.examples(readme)
    assert readme_examples.updated(readme, [(example, "new\n")]) == (
        "text\n```console\n$ echo new\nnew\n$ forumminer x\n```\n$ echo kept\nkept\n")
