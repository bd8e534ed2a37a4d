"""Compare forumminer's language identifier with lingua-language-detector (restricted to Arabic,
Persian and English) on the dev set and on our own corpus. lingua is not a dependency: install it
in the venv first (``pip install lingua-language-detector``).

    .venv/bin/python scripts/compare_langid.py
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from forumminer import detect_language, read_labeled

ROOT = Path(__file__).resolve().parents[1]
DEV_SET = ROOT.parent / "shared" / "dev" / "seed_passages.csv"


def main() -> None:
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:
        raise SystemExit("lingua is not installed: pip install lingua-language-detector") from None
    detector = LanguageDetectorBuilder.from_languages(Language.ARABIC, Language.PERSIAN, Language.ENGLISH).build()
    codes = {Language.ARABIC: "ar", Language.PERSIAN: "fa"}

    def lingua(text: str) -> str:
        return codes.get(detector.detect_language_of(text), "other")

    sets = {"our corpus (corpora/stance)": read_labeled(ROOT / "corpora" / "stance")}
    if DEV_SET.exists():
        dev = pd.read_csv(DEV_SET, keep_default_na=False)
        sets["dev set, lines of >= 3 words"] = dev[dev["text"].str.split().str.len() >= 3]
    for name, rows in sets.items():
        for label, detect in (("forumminer", detect_language), ("lingua", lingua)):
            correct = (rows["text"].map(detect) == rows["lang"]).sum()
            print(f"{name:<32} {label:<10} {correct}/{len(rows)} = {correct / len(rows):.4f}")


if __name__ == "__main__":
    main()
