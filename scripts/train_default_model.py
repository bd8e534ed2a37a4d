"""Rebuild the default stance model shipped with forumminer from corpora/stance/.

Run from the repository root:  .venv/bin/python scripts/train_default_model.py
Training is deterministic (fixed seeds), so rerunning on the same corpus gives the same
predictions; the model file records the corpus hash, library versions and 5-fold CV scores.
"""

from __future__ import annotations

import json
from pathlib import Path

from forumminer.stance.model import default_model_path, save_model
from forumminer.stance.training import train

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpora" / "stance"


def main() -> None:
    # Lines of one page stay in one fold: scores of a page never come from a model that saw its other lines.
    model = train(CORPUS, cv=5, group_col="doc")
    path = save_model(model, default_model_path())
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size / 1e6:.1f} MB)")
    print(json.dumps({k: model.metadata_[k] for k in ("training_hash", "training_rows", "cv")}, indent=2))


if __name__ == "__main__":
    main()
