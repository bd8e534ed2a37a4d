"""Throughput of forumminer's text stage next to camel-tools and hazm alone on the same text.

Builds a mixed Arabic/Persian corpus of at least --mb megabytes by repeating the project's own
corpora (corpora/stance and corpora/sample), then times:
  * forumminer: passages + language id + normalize + tokenize, end to end;
  * camel-tools alone on the Arabic passages: normalize_unicode, dediac_ar, normalize_alef_ar,
    simple_word_tokenize;
  * hazm alone on the Persian passages: Normalizer().normalize and WordTokenizer().tokenize
    (each built once);
  * forumminer's normalize+tokenize on those same Arabic / Persian passages, for the ratios.

    .venv/bin/python scripts/bench_text.py [--mb 20]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

from forumminer import normalize, passages, read_corpus, tokenize
from forumminer.stance.training import read_labeled

ROOT = Path(__file__).resolve().parents[1]


def build_documents(megabytes: float) -> pd.DataFrame:
    texts = read_labeled(ROOT / "corpora" / "stance")["text"].tolist()
    texts += read_corpus(ROOT / "corpora" / "sample")["text"].tolist()
    block = "\n".join(texts)
    copies = int(megabytes * 1e6 / len(block.encode())) + 1
    # documents of ~50 lines each, like forum threads
    lines = block.split("\n") * copies
    docs = ["\n".join(lines[i:i + 50]) for i in range(0, len(lines), 50)]
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(docs))], "text": docs})


def timed(label: str, func, size_mb: float, items: int) -> float:
    start = time.perf_counter()
    func()
    seconds = time.perf_counter() - start
    print(f"{label:<48} {seconds:8.2f} s  {size_mb / seconds:7.2f} MB/s  {items / seconds:9.0f} passages/s")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size in MB (default 20)")
    args = parser.parse_args()

    import hazm
    from camel_tools.tokenizers.word import simple_word_tokenize
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import normalize_alef_ar, normalize_unicode

    docs = build_documents(args.mb)
    size_mb = docs["text"].map(lambda t: len(t.encode())).sum() / 1e6
    table = passages(docs)  # untimed here: gives the Arabic and Persian passages to compare on
    arabic = table.loc[table["lang"] == "ar", "text"].tolist()
    persian = table.loc[table["lang"] == "fa", "text"].tolist()
    ar_mb = sum(len(t.encode()) for t in arabic) / 1e6
    fa_mb = sum(len(t.encode()) for t in persian) / 1e6
    print(f"corpus: {len(docs)} documents, {len(table)} passages, {size_mb:.1f} MB "
          f"({ar_mb:.1f} MB Arabic, {fa_mb:.1f} MB Persian)")

    def camel_alone() -> None:
        for text in arabic:
            simple_word_tokenize(normalize_alef_ar(dediac_ar(normalize_unicode(text))))

    normalizer, tokenizer = hazm.Normalizer(), hazm.WordTokenizer()

    def hazm_alone() -> None:
        for text in persian:
            tokenizer.tokenize(normalizer.normalize(text))

    # camel-tools and hazm alone run first, before forumminer has built (and sped up) its tools
    camel = timed("camel-tools alone (Arabic passages)", camel_alone, ar_mb, len(arabic))
    hazm_s = timed("hazm alone (Persian passages)", hazm_alone, fa_mb, len(persian))

    normalize("گرم کردن", lang="fa"), tokenize("گرم", lang="fa"), normalize("تسخين", lang="ar")  # load tools

    def pipeline() -> None:
        for text, lang in zip(*passages(docs)[["text", "lang"]].T.values):
            tokenize(normalize(text, lang=lang), lang=lang)

    def ours_on(texts: list[str], lang: str):
        def run() -> None:
            for text in texts:
                tokenize(normalize(text, lang=lang), lang=lang)
        return run

    ours = timed("forumminer passages+langid+normalize+tokenize", pipeline, size_mb, len(table))
    ours_ar = timed("forumminer normalize+tokenize (Arabic passages)", ours_on(arabic, "ar"), ar_mb, len(arabic))
    ours_fa = timed("forumminer normalize+tokenize (Persian passages)", ours_on(persian, "fa"), fa_mb, len(persian))
    print()
    print(f"throughput ratio forumminer / camel-tools alone, Arabic: {camel / ours_ar:.2f}")
    print(f"throughput ratio forumminer / hazm alone, Persian:       {hazm_s / ours_fa:.2f}")
    print(f"throughput ratio full pipeline / (camel-tools + hazm alone), whole corpus: {(camel + hazm_s) / ours:.2f}")


if __name__ == "__main__":
    main()
