"""Labeling throughput, scaling and memory, end to end, next to hazm's Normalizer alone on the same text.

Builds a corpus of --mb megabytes (default 20) by repeating the project's own corpora, writes it as
a CSV and runs ``forumminer label`` on it in child processes: one worker, two workers, and one
worker at document level. Each run reports wall time, CPU time (all its processes), MB/s,
passages/s and peak memory (the labeling process's VmHWM). hazm.Normalizer().normalize alone
over the same texts is the reference ("one pass of a text library"). With --memory-mb 100 the
one-worker run is repeated on 100 MB to compare peak memory; the cold start is a one-line input.
On a shared machine wall times are noisy: compare ratios from one run, repeat (--repeat), and
read the CPU-time ratios, which load on other processes disturbs much less.

    .venv/bin/python scripts/bench_label.py --mb 20 --memory-mb 100
    .venv/bin/python scripts/bench_label.py --mb 20 --repeat 3 --skip-document
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_text import build_documents  # noqa: E402

FORUMMINER = Path(sys.executable).with_name("forumminer")
ONE_LINE = {"fa": "مشتری همیشه حق ندارد و باید مرز گذاشت", "ar": "العميل ليس دائما على حق"}


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float


def run(args: list[str]) -> Run:
    """Run a command; its wall time, CPU time (children included) and peak memory.

    Peak memory is the child's VmHWM, read every 0.1 s while it runs. (The max RSS that wait4
    reports is no use here: Linux carries it across exec, so it starts at this script's own
    peak, which holds a corpus and hazm's word lists, and earlier figures measured that.)
    """
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_kb = 0
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        peak_kb = max(peak_kb, high_water_kb(process.pid))
        time.sleep(0.1)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{' '.join(args)} failed: {process.stderr.read().decode() if process.stderr else ''}")
    return Run(wall, usage.ru_utime + usage.ru_stime, peak_kb / 1024)


def high_water_kb(pid: int) -> int:
    """The peak resident memory so far of a running process (0 once it has gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)


def label_run(corpus: Path, output: Path, *, workers: int, level: str, repeat: int) -> Run:
    runs = [run([str(FORUMMINER), "label", str(corpus), "--id-col", "doc_id", "--level", level,
                 "--workers", str(workers), "-o", str(output)]) for _ in range(repeat)]
    return Run(statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs), max(r.peak_mb for r in runs))


def hazm_alone(texts: list[str]) -> Run:
    import hazm

    normalizer = hazm.Normalizer()
    wall, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        normalizer.normalize(text)
    return Run(time.perf_counter() - wall, time.process_time() - cpu, 0.0)


def corpus_file(folder: Path, megabytes: float) -> tuple[Path, float]:
    docs = build_documents(megabytes)
    path = folder / f"corpus_{megabytes:g}mb.csv"
    docs.to_csv(path, index=False)
    return path, docs["text"].map(lambda t: len(t.encode())).sum() / 1e6


def verdict(ok: bool) -> str:
    return "meets target" if ok else "MISSES target"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size in MB (default 20)")
    parser.add_argument("--memory-mb", type=float, default=None, help="also measure peak memory on this size (e.g. 100)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each measure; medians are printed")
    parser.add_argument("--skip-document", action="store_true", help="do not time document level")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus, size_mb = corpus_file(folder, args.mb)
        texts = pd.read_csv(corpus, keep_default_na=False)["text"].tolist()
        output = folder / "labeled.parquet"
        print(f"corpus: {len(texts)} documents, {size_mb:.1f} MB; {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")

        hazm = min((hazm_alone(texts) for _ in range(args.repeat)), key=lambda r: r.wall)
        runs = {"1 worker": label_run(corpus, output, workers=1, level="passage", repeat=args.repeat)}
        n_passages = len(pd.read_parquet(output, columns=["passage_id"]))
        runs["2 workers"] = label_run(corpus, output, workers=2, level="passage", repeat=args.repeat)
        if not args.skip_document:
            runs["document level, 1 worker"] = label_run(corpus, output, workers=1, level="document", repeat=args.repeat)

        print(f"{'':28}{'wall s':>8}{'CPU s':>8}{'MB/s':>8}{'passages/s':>12}{'peak MB':>9}")
        print(f"{'hazm Normalizer alone':28}{hazm.wall:8.1f}{hazm.cpu:8.1f}{size_mb / hazm.wall:8.2f}")
        for name, r in runs.items():
            # worker processes are the fork server's children: their CPU time and memory are not the child's
            cpu, peak = (f"{'-':>8}", f"{'-':>9}") if name == "2 workers" else (f"{r.cpu:8.1f}", f"{r.peak_mb:9.0f}")
            print(f"{'label, ' + name:28}{r.wall:8.1f}{cpu}{size_mb / r.wall:8.2f}{n_passages / r.wall:12.0f}{peak}")
        one, two = runs["1 worker"], runs["2 workers"]
        print(f"\none worker / hazm alone: {hazm.wall / one.wall:.2f} (wall), {hazm.cpu / one.cpu:.2f} (CPU)"
              f"  target >= 0.5: {verdict(hazm.wall / one.wall >= 0.5)}")
        print(f"two workers / one worker: {one.wall / two.wall:.2f} (wall)  target >= 1.7: {verdict(one.wall / two.wall >= 1.7)}")
        if not args.skip_document:
            doc = runs["document level, 1 worker"]
            print(f"document level / passage level: {doc.wall / one.wall:.2f} (wall), {doc.cpu / one.cpu:.2f} (CPU)"
                  f"  target <= 1.2: {verdict(doc.wall / one.wall <= 1.2)}")
        if args.memory_mb:
            large, large_mb = corpus_file(folder, args.memory_mb)
            big = label_run(large, output, workers=1, level="passage", repeat=1)
            print(f"peak memory, one worker: {one.peak_mb:.0f} MB at {size_mb:.0f} MB, {big.peak_mb:.0f} MB at "
                  f"{large_mb:.0f} MB: {big.peak_mb / one.peak_mb:.2f}x  target <= 1.2: {verdict(big.peak_mb <= 1.2 * one.peak_mb)}"
                  f"  ({large_mb / big.wall:.2f} MB/s)")

        for lang, line in ONE_LINE.items():
            path = folder / f"one_{lang}.txt"
            path.write_text(line + "\n", encoding="utf-8")
            cold = min((run([str(FORUMMINER), "label", str(path), "-o", str(folder / "one.csv")]) for _ in range(3)),
                       key=lambda r: r.wall)
            print(f"cold start, one {lang} line: {cold.wall:.2f} s wall, {cold.cpu:.2f} s CPU  target <= 2.0: "
                  f"{verdict(cold.wall <= 2.0)}")


if __name__ == "__main__":
    main()
