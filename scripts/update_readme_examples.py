"""Run the README's console examples and rewrite the output they show from what the code prints.

A ```console block of README.md holds ``$ command`` lines, each followed by the output it prints
(standard output and standard error together, as a terminal shows them). Commands shown with
output are run in order with bash, in a scratch folder that holds ``corpora/`` (linked) and the
files of ``tests/data/readme/`` (the ``data.csv`` and ``broken.csv`` of the error examples), with
this Python's ``forumminer`` first on the PATH. Commands shown without output are illustrations
(``posts.csv``, ``my_labels.csv`` are the user's files) and are not run. A line ``...`` in a
shown output stands for any lines (a long report cut short); such an output is checked line by
line around the cuts and left as written.
``tests/test_readme.py`` runs the same examples and fails when the README has drifted.

    python scripts/update_readme_examples.py           # rewrite README.md's outputs from live runs
    python scripts/update_readme_examples.py --check   # print the drifted examples; exit 1 if any
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
EXAMPLE_FILES = ROOT / "tests" / "data" / "readme"
_CONSOLE_BLOCK = re.compile(r"^```console\n(.*?)^```", re.MULTILINE | re.DOTALL)
_PROMPT = "$ "


@dataclass(frozen=True)
class Example:
    """A command of the README with the output shown below it, at ``start:end`` of the README."""

    command: str
    output: str
    start: int
    end: int


def examples(readme: str) -> list[Example]:
    """The commands of ``readme``'s console blocks that are shown with their output.

    >>> [e.command for e in examples("```console\\n$ echo a\\na\\n$ true\\n```\\n")]
    ['echo a']
    """
    found = []
    for block in _CONSOLE_BLOCK.finditer(readme):
        offset = block.start(1)
        command: str | None = None
        output_start = offset
        output: list[str] = []
        for line in block.group(1).splitlines(keepends=True):
            if line.startswith(_PROMPT):
                if command is not None and output:
                    found.append(Example(command, "".join(output), output_start, offset))
                command, output, output_start = line[len(_PROMPT):].rstrip("\n"), [], offset + len(line)
            else:
                output.append(line)
            offset += len(line)
        if command is not None and output:
            found.append(Example(command, "".join(output), output_start, offset))
    return found


def run_examples(readme: str, workdir: Path) -> list[tuple[Example, str]]:
    """Each example of ``readme`` with what its command prints now, run in order in ``workdir``."""
    (workdir / "corpora").symlink_to(ROOT / "corpora")
    for file in EXAMPLE_FILES.iterdir():
        (workdir / file.name).write_bytes(file.read_bytes())
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    results = []
    for example in examples(readme):
        run = subprocess.run(["bash", "-c", example.command], cwd=workdir, env=env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8")
        results.append((example, _shown(run.stdout)))
    return results


def matches(shown: str, live: str) -> bool:
    """Whether ``live`` output is what ``shown`` shows, a ``...`` line standing for any lines.

    >>> matches("a\\n...\\nc\\n", "a\\nb\\nb\\nc\\n"), matches("a\\n...\\n", "b\\n")
    (True, False)
    """
    parts = [re.escape(part) for part in re.split(r"(?m)^\.\.\.\n", shown)]
    return re.fullmatch("(?:.*\n)*?".join(parts), live) is not None


def _shown(printed: str) -> str:
    """Output as a README shows it: no trailing spaces, one line end after the last line."""
    lines = [line.rstrip() for line in printed.rstrip("\n").split("\n")]
    return "\n".join(lines) + "\n"


def updated(readme: str, results: list[tuple[Example, str]]) -> str:
    """``readme`` with each example's shown output replaced by the live one."""
    for example, live in sorted(results, key=lambda result: result[0].start, reverse=True):
        if not _is_elided(example.output):
            readme = readme[:example.start] + live + readme[example.end:]
    return readme


def _is_elided(output: str) -> bool:
    return re.search(r"(?m)^\.\.\.$", output) is not None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="Only report drifted examples; exit 1 if any.")
    args = parser.parse_args()
    readme = README.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as scratch:
        results = run_examples(readme, Path(scratch))
    drifted = [(example, live) for example, live in results if not matches(example.output, live)]
    for example, live in drifted:
        print(f"$ {example.command}\n--- README shows\n{example.output}+++ it prints\n{live}")
    if args.check:
        return 1 if drifted else 0
    README.write_text(updated(readme, results), encoding="utf-8")
    for example, _ in drifted:
        if _is_elided(example.output):
            print(f"$ {example.command}: its output is cut short with '...': update it by hand.")
    print(f"{len(results)} examples run, {len(drifted)} outputs rewritten in {README.name}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
