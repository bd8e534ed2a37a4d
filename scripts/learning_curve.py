"""Learning curve of `forumminer train --base default`: the shipped model adapted to 0, 50, 100
and 200 hand labels, scored on real text it never saw.

On ../shared/dev/web_passages.csv, 5 folds grouped by page: each fold's passages are the test set,
and the added labels are drawn at random from the other folds' pages (never the test pages).
Prints stance macro-F1 and accuracy averaged over folds and seeds, per number of added labels and
per weight (how much a hand label counts, see forumminer.stance.adapt). Measurement only: no model
trained here is shipped.

    .venv/bin/python scripts/learning_curve.py [--seeds 2] [--weights 1]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from forumminer.stance.adapt import adapt_features
from forumminer.stance.features import feature_text
from forumminer.stance.model import load_model
from forumminer.stance.training import confusion_matrix, stance_macro_f1

WEB = Path(__file__).resolve().parents[2] / "shared" / "dev" / "web_passages.csv"
ADDED = (0, 50, 100, 200)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--weights", type=float, nargs="+", default=[1.0])
    args = parser.parse_args()
    from sklearn.model_selection import GroupKFold

    web = pd.read_csv(WEB, keep_default_na=False)
    model = load_model()
    features = model.features_.transform([feature_text(t) for t in web["text"]]).tocsr()
    labels = web["label"].to_numpy(dtype=object)
    rows = []
    for weight in args.weights:
        for added in ADDED:
            f1s, accuracies = [], []
            for fold, (pool, test) in enumerate(GroupKFold(5).split(web, groups=web["page"])):
                for seed in range(args.seeds if added else 1):
                    picked = np.random.default_rng(100 * fold + seed).permutation(pool)[:added]
                    fitted = adapt_features(model, features[picked], list(labels[picked]), weight=weight) if added else model
                    scores = fitted.classifier_.decision_function(features[test])
                    predicted = fitted.classes_[scores.argmax(axis=1)]
                    f1s.append(stance_macro_f1(confusion_matrix(labels[test], predicted)))
                    accuracies.append(float((predicted == labels[test]).mean()))
            rows.append({"weight": weight, "added labels": added, "stance macro-F1": np.mean(f1s),
                         "sd": np.std(f1s), "accuracy": np.mean(accuracies), "runs": len(f1s)})
            print(rows[-1], flush=True)
    print("\nweb_passages, 5 folds grouped by page; added labels drawn from the other folds")
    print(pd.DataFrame(rows).to_string(index=False, float_format=lambda v: f"{v:.3f}"))


if __name__ == "__main__":
    main()
