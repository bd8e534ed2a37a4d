r"""Audit the stance cue patterns: for each pattern, its matches in labeled tables and the whole
words that hold them, to find patterns that fire inside unrelated words.

A match is "inside a word" when the word holding it (letters, digits and half-spaces around the
match) is longer than the match; the most frequent such words show whether a pattern needs a
word boundary. Texts are prepared as the stance model prepares them (normalized, letters folded).

Usage:
    .venv/bin/python scripts/audit_cues.py corpora/stance [more tables or folders] [--top 8]

Dev sets may be audited too (to find false matches), but their words stay on screen: never copy
them into the project.

Example output (pattern, matches, passages, share inside a longer word, then the words):
    [it depends] #2 (?<![\w\u200c])و?(ب|على )?حسب(ه|ها|هم|ما)?(?!\w)
      matches 202, passages 192, inside a longer word 0%
      words: حسب 118, بحسب 56, علی حسب 9, حسبه 6, وبحسب 6, وحسب 3, ...
      longer words:
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from forumminer.stance._cues import CUE_PATTERNS
from forumminer.stance.features import feature_text, fold_pattern
from forumminer.stance.training import read_labeled

_WORD_CHAR = re.compile(r"[\w\u200c]")


def holding_word(text: str, start: int, end: int) -> str:
    """The match ``text[start:end]`` widened to the whole words it touches.

    >>> holding_word("ما یحسب الکلفه", 5, 8)
    'یحسب'
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while start > 0 and _WORD_CHAR.match(text[start - 1]):
        start -= 1
    while end < len(text) and _WORD_CHAR.match(text[end]):
        end += 1
    return text[start:end]


def audit(prepared: list[str], top: int) -> list[str]:
    """Per cue pattern: matches, passages, share of matches inside a longer word, the words most
    often holding a match, then those holding it inside a longer word."""
    lines = []
    for group, patterns in CUE_PATTERNS.items():
        for number, pattern in enumerate(patterns):
            compiled = re.compile(fold_pattern(pattern))
            words: Counter[str] = Counter()
            longer: Counter[str] = Counter()
            passages = 0
            for text in prepared:
                found = list(compiled.finditer(text))
                passages += bool(found)
                for match in found:
                    word = holding_word(text, *match.span())
                    words[word] += 1
                    longer[word] += word != match.group().strip()
            total = sum(words.values())
            share = f"{100 * longer.total() / total:.0f}%" if total else "-"
            lines.append(f"[{group}] #{number} {pattern}\n  matches {total}, passages {passages}, inside a longer word {share}")
            lines.append("  words: " + ", ".join(f"{word} {count}" for word, count in words.most_common(top)))
            lines.append("  longer words: " + ", ".join(f"{word} {count}" for word, count in (+longer).most_common(top)))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tables", nargs="+", type=Path, help="labeled tables or folders of them")
    parser.add_argument("--top", type=int, default=8, help="matched words shown per pattern")
    args = parser.parse_args()
    frame = read_labeled(args.tables)
    print("\n".join(audit([feature_text(text) for text in frame["text"]], args.top)))


if __name__ == "__main__":
    main()
