"""Adapting the shipped model to hand labels (train --base default)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from click.testing import CliRunner

from forumminer.cli import main
from forumminer.stance.adapt import adapt
from forumminer.stance.model import load_model

# invented passages, each written for this test
TEXTS = ["نقبل المرتجع خلال أسبوع ونرفض ما بعده، وهذا عدل للطرفين", "الزبون يستحق الاحترام والمتجر يستحق الالتزام بالشروط",
         "نرضي العميل قدر الإمكان لكن دون أن نخسر حقوقنا", "مشتری محترم است اما قانون فروشگاه هم محترم است",
         "هم به مشتری گوش می‌دهیم و هم از کارمندان دفاع می‌کنیم", "گاهی حق با مشتری است و گاهی با فروشنده"]


def test_adapted_model_moves_towards_the_hand_labels() -> None:
    base = load_model()
    balanced = list(base.classes_).index("balanced")
    adapted = adapt("default", TEXTS, ["balanced"] * len(TEXTS), weight=1.0)
    before, after = base.predict_proba(TEXTS)[:, balanced], adapted.predict_proba(TEXTS)[:, balanced]
    assert (after > before).all()
    assert adapted.predict(TEXTS).tolist() == ["balanced"] * len(TEXTS)
    assert np.array_equal(base.classifier_.coef_, load_model().classifier_.coef_)  # the shipped model is untouched


def test_cli_adapts_the_shipped_model_and_scores_the_held_out_documents(tmp_path: Path) -> None:
    sheet = pd.DataFrame({"passage_id": [f"d{i}#1" for i in range(12)], "doc_id": [f"d{i}" for i in range(12)],
                          "lang": ["ar", "ar", "ar", "fa", "fa", "fa"] * 2, "text": TEXTS * 2,
                          "gold": ["balanced"] * 12, "strategy": "uncertain", "stratified_by": ""})
    sheet.loc[11, "gold"] = ""
    sheet.to_csv(tmp_path / "sheet.csv", index=False, encoding="utf-8-sig")
    result = CliRunner().invoke(main, ["train", "--base", "default", str(tmp_path / "sheet.csv"), "--holdout", "0.25",
                                       "-o", str(tmp_path / "adapted.npz")])
    assert result.exit_code == 0, result.output
    assert "Warning: 1 rows without a label are left out." in result.stderr
    assert "adapted default to 8 hand labels" in result.stderr and "held-out 3 passages: stance macro-F1" in result.stderr
    metadata = load_model(tmp_path / "adapted.npz").metadata_
    assert metadata["adapted"]["rows"] == 8 and metadata["holdout"]["rows"] == 3
