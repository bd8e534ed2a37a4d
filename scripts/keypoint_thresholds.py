"""Choose the key points' thresholds on our own corpora, never on the dev sets.

- Matching threshold, on our gold standard (corpora/keypoints): for each candidate threshold,
  key-point recall and precision and how well passages are matched to the key point stating their
  argument; the shipped MATCH_THRESHOLD is the one with the best matching F1 (ties: the higher).
- With ``--margins``: the margin a key point's sentence and passage need over the runner-up label,
  on corpora/stance with grouped 5-fold cross-validation (by ``doc``; a few minutes): for each
  margin, how often held-out labels of each stance that clear it are right, and the smallest
  margin at which every stance reaches ``TARGET_PRECISION``. Then the same on the waves most like
  real web text (12, 13 and 13b: passages with the position among context sentences), as key
  points are chosen and shown (per stance and language): a held-out passage, its candidate
  sentence that the argument filter keeps and whose own label is the passage's, both clearing the
  margin; how often the passage's gold label is that stance, and the smallest margin at which
  every stance reaches ``TARGET_PRECISION``. MIN_MARGIN should be the larger of the two (the
  figures move whenever the stance model is retrained: rerun after retraining). Last, the margin
  for a passage of one sentence, where the sentence and its passage are one piece of evidence: on
  every held-out single sentence we have (the one-sentence passages of corpora/stance, their
  sentence kept by the argument filter, from the same folds; and the argument sentences of
  corpora/keypoints/candidates.csv, on which no stance model is trained, labeled by the shipped
  model), the smallest margin from which on every stance is right for ``TARGET_PRECISION`` of
  them: ONE_SENTENCE_MARGIN (it may equal MIN_MARGIN, as with the model before corpus wave 15).
  And what a third view would add, the rest of the passage (its other sentences, read together):
  on passages of two sentences or more whose sentence and themselves clear MIN_MARGIN, how often
  the gold label is the stance when the rest must also not argue another stance, have the stance
  as its label, or clear MIN_MARGIN for it (none of these is shipped: they buy little precision
  for many passages).
- With ``--counts``: whether a key point that more passages make is more often right, on corpora/stance
  with grouped 5-fold cross-validation (by ``doc``; models trained on the other folds, as shipped;
  about 15 minutes): every pooled key point of the held-out passages (``min_count`` 1, ``top``
  POOL_SIZE), and how often its passage's gold label is its stance, for key points of one passage
  and of two or more (see MIN_COUNT).
- With ``--tentative``: how the tentative key point is chosen where no sentence clears the bar, on
  corpora/stance with the folds of ``--counts`` (about 15 minutes): in random corpora of 20
  held-out passages of a language, the candidate sentence below the bar that ranks first, by the
  shipped ranking (see ``forumminer.summary.keypoints._candidates``) and without its passage's
  margin; how often its passage's gold label is its stance.
- With ``--evidence``: what evidence beyond the stance model's margin does for the argument
  sentences of corpora/keypoints/candidates.csv (held out from both stance models): requiring a
  stance cue group (forumminer.stance._cues) of the sentence's stance, or no cue group of another
  stance, and (with the encoder extra) requiring the none-gate to let the sentence through, as
  accurate mode does.

Run from the repository root:

    .venv/bin/python scripts/keypoint_thresholds.py [--margins] [--counts] [--evidence] [--tentative]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from forumminer.stance import LABELS, STANCES
from forumminer.summary.keypoints import MATCH_THRESHOLD, MIN_MARGIN, ONE_SENTENCE_MARGIN, score_key_points

if TYPE_CHECKING:
    from forumminer.stance.linear import StanceModel

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "corpora" / "keypoints" / "passages.csv"
CANDIDATES = ROOT / "corpora" / "keypoints" / "candidates.csv"
WAVES = r"^(ar|fa)-wave1[23]"  # ids of waves 12, 13 and 13b (corpora/stance/README.md)
THRESHOLDS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
MARGINS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
ONE_SENTENCE_MARGINS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)
TARGET_PRECISION = 0.90  # a key point is quoted as what a stance argues: 90% held out, not 80%


def match_thresholds() -> None:
    gold = pd.read_csv(GOLD, keep_default_na=False)
    print("threshold  recall  precision  match_precision  match_recall  match_F1  key_points")
    best = (-1.0, 0.0)
    for threshold in THRESHOLDS:
        s = score_key_points(gold, match_threshold=threshold)
        f1 = 2 * s.match_precision * s.match_recall / (s.match_precision + s.match_recall or 1)
        best = max(best, (round(f1, 6), threshold))
        print(f"{threshold:9.2f}  {s.recall:6.3f}  {s.precision:9.3f}  {s.match_precision:15.3f}  "
              f"{s.match_recall:12.3f}  {f1:8.3f}  {s.n_points:10d}")
    print(f"best matching F1 at {best[1]}; shipped MATCH_THRESHOLD = {MATCH_THRESHOLD}")


def margins() -> None:
    from sklearn.base import clone
    from sklearn.model_selection import StratifiedGroupKFold

    from forumminer.stance.model import load_model
    from forumminer.stance.training import _groups, read_labeled
    from forumminer.text.segment import sentences

    corpus = read_labeled(ROOT / "corpora" / "stance")
    model = clone(load_model()).set_params(calibrate=False)  # temperature never changes the label
    texts, gold = corpus["text"].tolist(), corpus["label"].to_numpy(dtype=object)
    in_waves = corpus["id"].str.match(WAVES).to_numpy()
    alone = np.array([len(sentences(text)) == 1 for text in texts])
    folds = StratifiedGroupKFold(5, shuffle=True, random_state=0).split(texts, gold, _groups(corpus, "doc"))
    proba, classes = np.zeros((len(texts), len(LABELS))), np.array(LABELS, dtype=object)
    pairs = []
    for train_rows, test_rows in folds:
        fold = clone(model).fit([texts[i] for i in train_rows], gold[train_rows])
        order = [list(fold.classes_).index(label) for label in LABELS]
        proba[test_rows] = fold.predict_proba([texts[i] for i in test_rows])[:, order]
        pairs.append(_sentence_margins(fold, order, corpus, test_rows))
    ordered = np.sort(proba, axis=1)
    predicted, margin = classes[proba.argmax(axis=1)], ordered[:, -1] - ordered[:, -2]
    print(f"{len(corpus)} passages of corpora/stance, grouped 5-fold CV; precision of the held-out labels that "
          "clear each margin")
    print("margin  " + "  ".join(f"{stance:>22}" for stance in STANCES))
    chosen = None
    for threshold in MARGINS:
        kept = margin >= threshold
        scores = [float((gold[kept & (predicted == stance)] == stance).mean()) for stance in STANCES]
        print(f"{threshold:6.2f}  " + "  ".join(f"{score:22.3f}" for score in scores))
        if chosen is None and min(scores) >= TARGET_PRECISION:
            chosen = threshold
    print(f"smallest margin with precision >= {TARGET_PRECISION} for every stance: {chosen}")
    held_out = pd.concat(pairs, ignore_index=True).assign(
        predicted=lambda frame: predicted[frame["row"]], passage_margin=lambda frame: margin[frame["row"]],
        gold=lambda frame: gold[frame["row"]], lang=lambda frame: corpus["lang"].to_numpy()[frame["row"]])
    on_waves = _wave_key_points(held_out[in_waves[held_out["row"]]])
    both = None if chosen is None or on_waves is None else max(chosen, on_waves)
    print(f"\nthe margin that meets both: {both}; shipped MIN_MARGIN = {MIN_MARGIN}")
    _one_sentence_margin(held_out[alone[held_out["row"]]])
    _context_agreement(held_out[~alone[held_out["row"]]], in_waves)


def _sentence_margins(fold, order: list[int], corpus: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """Of each passage in ``rows``, the candidate sentences the argument filter keeps, with their
    label and margin by the fold's model alone (as :mod:`forumminer.summary.keypoints` scores them)."""
    from forumminer.stance.features import feature_text
    from forumminer.summary.arguments import argument_probabilities, shipped_filter
    from forumminer.summary.candidates import asserted_text, candidate_problem, candidate_text
    from forumminer.text.segment import sentences

    split = {row: list(map(candidate_text, sentences(corpus["text"].iloc[row]))) for row in rows}
    units = [(row, i, sentence, feature_text(sentence)) for row in rows for i, sentence in enumerate(split[row])]
    units = [(row, i, sentence, prepared) for row, i, sentence, prepared in units
             if candidate_problem(sentence, prepared) is None]
    argument = argument_probabilities([sentence for _, _, sentence, _ in units],
                                      [corpus["lang"].iloc[row] for row, _, _, _ in units],
                                      [prepared for _, _, _, prepared in units])
    units = [unit for unit, probability in zip(units, argument) if probability >= shipped_filter().threshold]
    proba = fold.predict_proba([asserted_text(sentence, prepared) for _, _, sentence, prepared in units])[:, order]
    ordered = np.sort(proba, axis=1)
    rest = [" ".join(split[row][:i] + split[row][i + 1:]) for row, i, _, _ in units]
    context = fold.predict_proba(rest)[:, order]  # an empty rest is read, and never used
    own = proba.argmax(axis=1)
    others = context.copy()
    others[np.arange(len(units)), own] = -np.inf
    return pd.DataFrame({"row": [u[0] for u in units], "label": np.array(LABELS, dtype=object)[own],
                         "margin": ordered[:, -1] - ordered[:, -2],
                         "rest_label": np.array(LABELS, dtype=object)[context.argmax(axis=1)],
                         "rest_margin": context[np.arange(len(units)), own] - others.max(axis=1)})


def _wave_key_points(pairs: pd.DataFrame) -> float | None:
    """Print, per margin, stance and language, how often a held-out wave passage whose sentence
    and itself clear the margin with the same stance has that stance as its gold label."""
    pairs = pairs[(pairs["label"] == pairs["predicted"]) & pairs["predicted"].isin(STANCES)]
    cells = [(lang, stance) for lang in ("ar", "fa") for stance in STANCES]
    chosen = per_language = None
    print(f"\nwaves 12, 13 and 13b ({pairs['row'].nunique()} passages with a candidate sentence of their own label), "
          "held out: passages whose sentence and themselves clear the margin, and the share whose gold label is "
          "that stance")
    print("margin  " + "  ".join(f"{lang} {stance[:12]:>12}" for lang, stance in cells) + "       all")
    for threshold in MARGINS:
        kept = pairs[(pairs["margin"] >= threshold) & (pairs["passage_margin"] >= threshold)].drop_duplicates("row")
        scores = [kept[(kept["lang"] == lang) & (kept["predicted"] == stance)] for lang, stance in cells]
        right = [float((cell["gold"] == stance).mean()) for cell, (_, stance) in zip(scores, cells)]
        print(f"{threshold:6.2f}  " + "  ".join(f"{value:5.3f} (n={len(cell):3d})" for value, cell in zip(right, scores))
              + f"  {float((kept['gold'] == kept['predicted']).mean()):5.3f} (n={len(kept)})")
        by_stance = [float((kept[kept["predicted"] == stance]["gold"] == stance).mean()) for stance in STANCES]
        if chosen is None and min(by_stance) >= TARGET_PRECISION:
            chosen = threshold
        if per_language is None and min(right) >= TARGET_PRECISION:
            per_language = threshold
    print(f"smallest margin with precision >= {TARGET_PRECISION} for every stance on these waves: {chosen} "
          f"(for every stance in each language: {per_language}, decided by its smallest cells)")
    return chosen


def _one_sentence_margin(pairs: pd.DataFrame) -> None:
    """Print, per margin and stance, how often a held-out single sentence that clears it has its
    label as gold stance: one-sentence passages of corpora/stance (``pairs``, from the folds) and
    the argument sentences of candidates.csv, by the shipped model."""
    pairs = pairs[(pairs["label"] == pairs["predicted"]) & pairs["predicted"].isin(STANCES)]
    passages = pairs.assign(margin=np.minimum(pairs["margin"], pairs["passage_margin"])).drop_duplicates("row")
    arguments, predicted, margin = _written_arguments()
    written = pd.DataFrame({"predicted": predicted, "margin": margin, "gold": arguments["stance"].to_numpy()})
    pooled = pd.concat([passages[["predicted", "margin", "gold"]], written], ignore_index=True)
    print(f"\nsingle sentences, held out: {len(passages)} one-sentence passages of corpora/stance whose sentence "
          f"clears the filters and has the passage's stance, and {len(written)} argument sentences of "
          "candidates.csv; those that clear each margin, and the share whose gold label is their label")
    print("margin  " + "  ".join(f"{stance:>24}" for stance in STANCES) + "                 all")
    meets = []
    for threshold in ONE_SENTENCE_MARGINS:
        kept = pooled[pooled["margin"] >= threshold]
        cells = [kept[kept["predicted"] == stance] for stance in STANCES]
        right = [float((cell["gold"] == stance).mean()) for cell, stance in zip(cells, STANCES)]
        meets.append(min(right) >= TARGET_PRECISION)
        columns = "  ".join(f"{value:5.3f} (n={len(cell):3d})".rjust(24) for value, cell in zip(right, cells))
        overall = float((kept["gold"] == kept["predicted"]).mean())
        print(f"{threshold:6.2f}  {columns}  {overall:5.3f} (n={len(kept):3d})")
    stable = [t for i, t in enumerate(ONE_SENTENCE_MARGINS) if all(meets[i:])]
    print(f"smallest margin from which on every stance has precision >= {TARGET_PRECISION}: "
          f"{stable[0] if stable else None}; shipped ONE_SENTENCE_MARGIN = {ONE_SENTENCE_MARGIN}")


def _written_arguments() -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The argument sentences of candidates.csv, with the shipped model's label and margin for each
    (no stance model is trained on them)."""
    from forumminer.stance.linear import resolve_model
    from forumminer.summary.candidates import asserted_text

    table = pd.read_csv(CANDIDATES, keep_default_na=False)
    arguments = table[table["kind"] == "argument"]
    model = resolve_model(None)
    proba = model.predict_proba([asserted_text(sentence) for sentence in arguments["sentence"]])
    ordered = np.sort(proba, axis=1)
    return arguments, model.decide(proba), ordered[:, -1] - ordered[:, -2]


def _context_agreement(pairs: pd.DataFrame, in_waves: np.ndarray) -> None:
    """Print how often held-out passages of two sentences or more whose sentence and themselves
    clear MIN_MARGIN with the same stance have it as gold label, when the rest of the passage must
    agree too in each of three ways (a passage counts once, if any of its sentences passes)."""
    pairs = pairs[(pairs["label"] == pairs["predicted"]) & pairs["predicted"].isin(STANCES)
                  & (pairs["margin"] >= MIN_MARGIN) & (pairs["passage_margin"] >= MIN_MARGIN)]
    rules = {"sentence and passage (shipped)": np.ones(len(pairs), dtype=bool),
             "and the rest argues no other stance": ((pairs["rest_label"] == "none")
                                                     | (pairs["rest_label"] == pairs["label"])).to_numpy(),
             "and the rest's label is the stance": (pairs["rest_label"] == pairs["label"]).to_numpy(),
             f"and the rest clears {MIN_MARGIN} too": (pairs["rest_margin"] >= MIN_MARGIN).to_numpy()}
    print(f"\npassages of two sentences or more, held out, whose sentence and themselves clear {MIN_MARGIN}: the share "
          "whose gold label is that stance when the rest of the passage must agree too")
    for scope, rows in (("all of corpora/stance", np.ones(len(pairs), dtype=bool)),
                        ("waves 12, 13 and 13b", in_waves[pairs["row"].to_numpy()])):
        print(f"{scope}:")
        for rule, kept in rules.items():
            passages = pairs[kept & rows].drop_duplicates("row")
            cells = "  ".join(f"{stance} {float((passages[passages['predicted'] == stance]['gold'] == stance).mean()):5.3f}"
                              for stance in STANCES)
            print(f"  {rule:40} {float((passages['gold'] == passages['predicted']).mean()):5.3f} "
                  f"(n={len(passages):4d})  {cells}")


#: The stance each cue group of forumminer.stance._cues speaks for (the groups of `none` speak for none).
CUE_STANCES = {
    "customer_always_right": ("customer is king / always right", "satisfy the customer first",
                              "apologise / refund without argument", "loyalty and reputation"),
    "boundary_setting": ("not always right", "pay for extras", "contract and scope", "limits, refusal and bad clients",
                         "respect and dignity of the provider", "platform metrics against sellers"),
    "balanced": ("it depends", "middle way"),
}


def _held_out_folds() -> Iterator[tuple[StanceModel, pd.DataFrame, np.ndarray]]:
    """For each fold of corpora/stance (grouped 5-fold CV by ``doc``): the model trained on the
    other folds, the fold's passages labeled by it (a labeled table, ``passage_id`` the row in the
    corpus) and the corpus's gold labels."""
    from sklearn.base import clone
    from sklearn.model_selection import StratifiedGroupKFold

    from forumminer.stance.model import load_model
    from forumminer.stance.training import _groups, read_labeled

    corpus = read_labeled(ROOT / "corpora" / "stance")
    texts, gold = corpus["text"].tolist(), corpus["label"].to_numpy(dtype=object)
    folds = StratifiedGroupKFold(5, shuffle=True, random_state=0).split(texts, gold, _groups(corpus, "doc"))
    for train_rows, test_rows in folds:
        fold = clone(load_model()).fit([texts[i] for i in train_rows], gold[train_rows])
        held_out = [texts[i] for i in test_rows]
        proba = fold.predict_proba(held_out)
        table = pd.DataFrame({"passage_id": [str(i) for i in test_rows], "text": held_out,
                              "lang": corpus["lang"].to_numpy()[test_rows], "stance": fold.decide(proba),
                              **{f"p_{label}": proba[:, j] for j, label in enumerate(fold.classes_)}})
        yield fold, table, gold


def counts() -> None:
    from forumminer.summary.keypoints import POOL_SIZE, key_points

    right: dict[bool, list[bool]] = {False: [], True: []}
    for fold, table, gold in _held_out_folds():
        found = key_points(table, top=POOL_SIZE, model=fold, min_count=1)
        for stance, points in found.points.items():
            for point in points:
                right[point.count >= 2].append(gold[int(point.passage_id)] == stance)
    print(f"\nheld-out key points of corpora/stance (grouped 5-fold CV): how often the passage of a key point has "
          "its stance by the gold labels")
    for several, name in ((False, "made by one passage"), (True, "made by two passages or more")):
        print(f"  {name}: {np.mean(right[several]):.3f} of {len(right[several])}")


def tentative(draws: int = 300, size: int = 20) -> None:
    from forumminer.stance.features import feature_text
    from forumminer.summary import keypoints

    rankings = ("shipped ranking", "without the passage's margin")
    right: dict[str, list[bool]] = {name: [] for name in rankings}
    random = np.random.default_rng(0)
    for fold, table, gold in _held_out_folds():
        tfidf = keypoints.vectorizer([keypoints.matching_text(feature_text(text), lang)
                                      for text, lang in zip(table["text"], table["lang"])])
        margins = keypoints._passage_margins(table, table, fold)
        for lang in ("ar", "fa"):
            rows, stances, scores = [], [], {name: [] for name in rankings}
            for stance in STANCES:
                of_stance = np.flatnonzero((table["stance"] == stance).to_numpy() & (table["lang"] == lang).to_numpy())
                found = keypoints._candidates(table["text"].iloc[of_stance].tolist(), margins[of_stance], tfidf, fold,
                                              stance, lang)
                below = np.flatnonzero(~found.confident & (found.ranking >= 0))
                rows += [of_stance[found.units[i].row] for i in below]
                stances += [stance] * len(below)
                scores[rankings[0]] += found.ranking[below].tolist()
                scores[rankings[1]] += (found.scores.argument * found.scores.probability)[below].tolist()
            rows_array, in_lang = np.array(rows), np.flatnonzero((table["lang"] == lang).to_numpy())
            ranked = {name: np.array(values) for name, values in scores.items()}
            for _ in range(draws):
                chosen = random.choice(in_lang, min(size, len(in_lang)), replace=False)
                drawn = np.flatnonzero(np.isin(rows_array, chosen))
                if not len(drawn):
                    continue
                for name in rankings:
                    best = drawn[np.argmax(ranked[name][drawn])]
                    right[name].append(gold[int(table["passage_id"].iloc[rows[best]])] == stances[best])
    print(f"\ntentative key points, held out (corpora/stance, grouped 5-fold CV): in {draws} random corpora of {size} "
          "passages per fold and language, the sentence below the bar that ranks first; how often its passage's "
          "gold label is its stance")
    for name in rankings:
        print(f"  {name}: {np.mean(right[name]):.3f} of {len(right[name])}")


def evidence() -> None:
    from forumminer.stance.encoder import encoder_available, load_accurate_model
    from forumminer.stance.features import cue_counts, cue_feature_names, feature_text
    from forumminer.summary.candidates import asserted_text

    arguments, predicted, margin = _written_arguments()
    texts, gold = [asserted_text(s) for s in arguments["sentence"]], arguments["stance"].to_numpy(dtype=object)
    names = cue_feature_names()
    stance_of = {f"[{group}]": stance for stance, groups in CUE_STANCES.items() for group in groups}
    cues = [{stance_of.get(names[i]) for i, count in enumerate(cue_counts(feature_text(s))) if count} - {None}
            for s in arguments["sentence"]]
    rules = {"margin alone": np.ones(len(texts), dtype=bool),
             "and a cue group of its stance": np.array([label in found for label, found in zip(predicted, cues)]),
             "and no cue group of another stance": np.array([not found - {label} for label, found in zip(predicted, cues)])}
    if encoder_available():
        rules["and the none-gate lets it through"] = load_accurate_model().predict(texts) != "none"
    print(f"\n{len(texts)} argument sentences of corpora/keypoints/candidates.csv, labeled by the shipped model alone: "
          "sentences that clear each margin and the rule, and the share whose gold stance is their label")
    print("margin  " + "  ".join(f"{rule:>34}" for rule in rules))
    for threshold in MARGINS:
        kept = margin >= threshold
        print(f"{threshold:6.2f}  " + "  ".join(
            f"{float((gold[kept & rule] == predicted[kept & rule]).mean()):5.3f} (n={int((kept & rule).sum()):3d})".rjust(34)
            for rule in rules.values()))


def main() -> None:
    match_thresholds()
    if "--margins" in sys.argv[1:]:
        margins()
    if "--counts" in sys.argv[1:]:
        counts()
    if "--evidence" in sys.argv[1:]:
        evidence()
    if "--tentative" in sys.argv[1:]:
        tentative()


if __name__ == "__main__":
    main()
