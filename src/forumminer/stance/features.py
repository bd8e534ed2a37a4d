"""Features of the stance model: normalized text, word and character n-grams, stance cues.

Texts are prepared once (:func:`feature_text`: our language-aware normalization, then a fold of
the letters Arabic and Persian writers swap) and handed to scikit-learn vectorizers that use our
tokenizer (:func:`feature_tokens`) with ``token_pattern=None``: scikit-learn's default pattern
would drop diacritized Arabic words and split Persian half-space compounds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from ..text.langid import detect_language
from ..text.normalize import normalize
from ._cues import CUE_PATTERNS

# One spelling for letters that both languages' writers swap: Arabic/Persian yeh and kaf, alef
# maksura, teh marbuta, hamza-carrying alefs; digits of every script become "0".
_FOLD = str.maketrans(
    {"ي": "ی", "ى": "ی", "ئ": "ی", "ك": "ک", "ة": "ه", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و",
     **{d: "0" for d in "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"}}
)
_TOKEN_RE = re.compile(r"[^\W\d_][\w\u200c\u064b-\u0652\u0670]*|[؟?!]")
_LIST_ITEM_RE = re.compile(r"^\s*(0+|[-•*▪])\s*[-.)،:]?\s")
_SENTENCE_END_RE = re.compile(r"[.!؟?…:]\s*$")


# Function words never shown as cues (they carry no position on their own). Negations and modal
# words (ليس، لا، نیست، باید...) are deliberately not here: they often are the cue.
_CUE_STOPWORDS_RAW = """
في من على الى إلى عن ان أن إن هذا هذه ذلك تلك التي الذي الذين كان كانت هو هي هم نحن انا أنا انت
كل بعض عند ثم او أو بل حتى اذا إذا لو هل مع بين اي أي فقط ايضا أيضا جدا كما مثل قد و يا ده دي اللي
بس هيك شو وش ايش يعني عشان علشان الي اللى ما لي له لها لهم به بها فيه فيها منه منها عليه عليها
از به با در برای این آن که را هم تا یک ها های ای است بود شد شود می خود او ما شما من تو ایشان
آنها اینها یه رو چی چه اون این دیگه هر وقتی اگر ولی اما چون پس بر روی
"""


def fold_letters(normalized: str) -> str:
    """The letter fold of :func:`feature_text`, for text already normalized.

    >>> fold_letters("مشتري هميشه")
    'مشتری همیشه'
    """
    return normalized.translate(_FOLD).lower()


CUE_STOPWORDS = frozenset(fold_letters(w) for w in _CUE_STOPWORDS_RAW.split())


def feature_text(text: str, lang: str | None = None) -> str:
    """Normalize ``text`` (in ``lang``, or each line in its detected language: a line with weak
    evidence is normalized in a language all the same, as labeling does) and fold swapped letters,
    for features.

    >>> feature_text("مشتري هميشه حق نداره")
    'مشتری همیشه حق نداره'
    >>> feature_text("العَمِيلُ ليس دائماً على حقّ")
    'العمیل لیس دایما علی حق'
    """
    if lang is None:
        return "\n".join(fold_letters(normalize(line, lang=detect_language(line))) for line in text.split("\n"))
    return fold_letters(normalize(text, lang=lang))


def surface_forms(normalized: str) -> dict[str, str]:
    """Map each folded feature token of normalized text back to how it is written (unfolded), so
    cues read as the writer spelled them.

    >>> surface_forms("العميل في المتجر")["المتجر"]
    'المتجر'
    """
    return {fold_letters(token): token for token in _TOKEN_RE.findall(normalized)}


def feature_tokens(text: str) -> list[str]:
    """Words (half-space compounds and diacritized words whole) and ``؟ ? !``; no numbers.

    >>> feature_tokens("می‌خواهم بدانم؟ ٣ بار")
    ['می\u200cخواهم', 'بدانم', '؟', 'بار']
    """
    return _TOKEN_RE.findall(text)


class CueCounter(TransformerMixin, BaseEstimator):
    """Counts the stance cue groups of :mod:`forumminer.stance._cues` and simple form cues
    (question, list item, short heading-like line, length) in prepared texts."""

    FORM_CUES = ("question", "list item", "short line without a full stop", "long passage")

    def fit(self, texts: Iterable[str], y: Any = None) -> "CueCounter":
        self.n_features_out_ = len(_CUE_GROUPS) + len(self.FORM_CUES)
        return self

    def transform(self, texts: Iterable[str]) -> sparse.csr_matrix:
        rows = [self._cue_counts(text) for text in texts]
        return sparse.csr_matrix(np.log1p(np.array(rows, dtype=float).reshape(len(rows), -1)))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.array([f"[{name}]" for name, _ in _CUE_GROUPS] + [f"[{name}]" for name in self.FORM_CUES], dtype=object)

    @staticmethod
    def _cue_counts(text: str) -> list[float]:
        counts: list[float] = [len(pattern.findall(text)) for _, pattern in _CUE_GROUPS]
        words = len(text.split())
        counts.append(float(text.rstrip().endswith(("؟", "?"))))
        counts.append(float(bool(_LIST_ITEM_RE.match(text))))
        counts.append(float(words <= 6 and not _SENTENCE_END_RE.search(text)))
        counts.append(float(words >= 60))
        return counts


def build_features(*, word_ngram_range: tuple[int, int], char_ngram_range: tuple[int, int],
                   max_char_features: int) -> FeatureUnion:
    """The feature union of word n-grams, character n-grams and cue counts (unfitted)."""
    words = TfidfVectorizer(tokenizer=feature_tokens, token_pattern=None, lowercase=False,
                            ngram_range=word_ngram_range, sublinear_tf=True, min_df=2)
    chars = TfidfVectorizer(analyzer="char_wb", lowercase=False, ngram_range=char_ngram_range,
                            sublinear_tf=True, min_df=2, max_features=max_char_features)
    return FeatureUnion([("words", words), ("chars", chars), ("cues", CueCounter())])


def _compile_cues() -> list[tuple[str, re.Pattern[str]]]:
    return [(name, re.compile("|".join(f"(?:{p.translate(_FOLD).lower()})" for p in patterns)))
            for name, patterns in CUE_PATTERNS.items()]


_CUE_GROUPS = _compile_cues()
