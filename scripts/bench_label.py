"""Labeling throughput and memory, end to end, next to hazm's Normalizer alone on the same text.

Builds a corpus of --mb megabytes (default 20) by repeating the project's own corpora, writes it as
a CSV, and runs ``forumminer label`` on it in a child process, reporting wall time, passages per
second, MB per second and the child's peak memory (max RSS). Then times hazm.Normalizer().normalize
alone over the same text (Arabic and Persian alike, as a reference for "one pass of a text
library") and prints the throughput ratio. Repeat with --mb 100 for the memory at 100 MB.

    .venv/bin/python scripts/bench_label.py --mb 20
    .venv/bin/python scripts/bench_label.py --mb 100 --skip-hazm
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_text import build_documents  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size in MB (default 20)")
    parser.add_argument("--skip-hazm", action="store_true", help="do not time hazm alone")
    args = parser.parse_args()

    docs = build_documents(args.mb)
    size_mb = docs["text"].map(lambda t: len(t.encode())).sum() / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        corpus, output = Path(tmp) / "corpus.csv", Path(tmp) / "labeled.parquet"
        docs.to_csv(corpus, index=False)
        script = Path(sys.executable).with_name("forumminer")
        start = time.perf_counter()
        subprocess.run([str(script), "label", str(corpus), "--id-col", "doc_id", "-o", str(output)], check=True)
        seconds = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        n_passages = len(pd.read_parquet(output, columns=["passage_id"]))
    print(f"corpus: {len(docs)} documents, {size_mb:.1f} MB, {n_passages} passages")
    print(f"forumminer label (end to end, incl. start-up): {seconds:.1f} s, {size_mb / seconds:.2f} MB/s, "
          f"{n_passages / seconds:.0f} passages/s, peak memory {peak_mb:.0f} MB")
    if not args.skip_hazm:
        import hazm

        normalizer = hazm.Normalizer()
        texts = docs["text"].tolist()
        start = time.perf_counter()
        for text in texts:
            normalizer.normalize(text)
        hazm_seconds = time.perf_counter() - start
        print(f"hazm Normalizer alone on the same text: {hazm_seconds:.1f} s, {size_mb / hazm_seconds:.2f} MB/s")
        print(f"throughput ratio label / hazm normalize: {hazm_seconds / seconds:.2f}")


if __name__ == "__main__":
    main()
