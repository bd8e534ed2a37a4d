"""Features of the stance model: normalized text, word and character n-grams, stance cues.

Texts are prepared once (:func:`feature_text`: our language-aware normalization, then a fold of
the letters Arabic and Persian writers swap) and cut into n-grams with our tokenizer
(:func:`feature_tokens`; scikit-learn's default pattern would drop diacritized Arabic words and
split Persian half-space compounds). Everything here is plain Python and NumPy, shared by the
scikit-learn vectorizers that fit a vocabulary (:mod:`forumminer.stance.vectorizers`) and the
model that labels (:mod:`forumminer.stance.linear`).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from re import _parser as _sre  # type: ignore[attr-defined]  # the parser behind re, to find literals
from typing import Any

import numpy as np

from ..text._resources import without_markup
from ..text.langid import detect_language
from ..text.normalize import normalize
from ._cues import CUE_PATTERNS

# One spelling for letters that both languages' writers swap: Arabic/Persian yeh and kaf, alef
# maksura, teh marbuta, hamza-carrying alefs; digits of every script become "0". (str.replace and
# re.sub run in C; str.translate with a dict of these took ten times as long.)
_FOLDED_LETTERS = (("ي", "ی"), ("ى", "ی"), ("ئ", "ی"), ("ك", "ک"), ("ة", "ه"), ("أ", "ا"), ("إ", "ا"), ("آ", "ا"),
                   ("ٱ", "ا"), ("ؤ", "و"))
_DIGIT_RE = re.compile("[0-9٠-٩۰-۹]")
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
    for letter, folded in _FOLDED_LETTERS:
        if letter in normalized:
            normalized = normalized.replace(letter, folded)
    return _DIGIT_RE.sub("0", normalized).lower()


CUE_STOPWORDS = frozenset(fold_letters(w) for w in _CUE_STOPWORDS_RAW.split())


def feature_text(text: str, lang: str | None = None) -> str:
    """Normalize ``text`` (in ``lang``, or each line in its detected language: a line with weak
    evidence is normalized in a language all the same, as labeling does) and fold swapped letters,
    for features; web addresses and HTML markup are left out.

    >>> feature_text("مشتري هميشه حق نداره")
    'مشتری همیشه حق نداره'
    >>> feature_text("العَمِيلُ ليس دائماً على حقّ")
    'العمیل لیس دایما علی حق'
    """
    text = without_markup(text)
    if lang is None:
        return "\n".join(fold_letters(normalize(line, lang=detect_language(line))) for line in text.split("\n"))
    return fold_letters(normalize(text, lang=lang))


def surface_forms(normalized: str) -> dict[str, str]:
    """Map each folded feature token of normalized text back to how it is written (unfolded), so
    cues read as the writer spelled them (the last spelling of a word when it has several).

    >>> surface_forms("العميل في المتجر")["المتجر"]
    'المتجر'
    """
    tokens = _TOKEN_RE.findall(normalized)
    # the tokens folded in one call: a line break is never in a token and ends a word for lower()
    return dict(zip(fold_letters("\n".join(tokens)).split("\n"), tokens)) if tokens else {}


def feature_tokens(text: str) -> list[str]:
    """Words (half-space compounds and diacritized words whole) and ``؟ ? !``; no numbers.

    >>> feature_tokens("می‌خواهم بدانم؟ ٣ بار")
    ['می\u200cخواهم', 'بدانم', '؟', 'بار']
    """
    return _TOKEN_RE.findall(text)


FORM_CUES = ("question", "list item", "short line without a full stop", "long passage")


def cue_count_matrix(prepared: Sequence[str]) -> np.ndarray:
    """The cue features of prepared texts, a row per text: ``log(1 + count)`` of each cue of
    :func:`cue_feature_names` (zero rows for no texts).

    >>> cue_count_matrix([]).shape == (0, len(cue_feature_names()))
    True
    """
    counts = np.array([cue_counts(text) for text in prepared], dtype=float)
    return np.log1p(counts.reshape(len(prepared), len(cue_feature_names())))


def cue_feature_names() -> list[str]:
    """Names of the cue features, in the order :func:`cue_counts` gives them.

    >>> cue_feature_names()[-1]
    '[long passage]'
    """
    return [f"[{name}]" for name, _ in _CUE_GROUPS] + [f"[{name}]" for name in FORM_CUES]


def cue_counts(text: str) -> list[float]:
    """Matches of each stance cue group of :mod:`forumminer.stance._cues` in a prepared text, then
    the form cues (question, list item, short heading-like line, long passage) as 0 or 1.

    >>> cue_counts("ليس دائما على حق")[-4:]
    [0.0, 0.0, 1.0, 0.0]
    """
    # A group's pattern is an alternation, and an alternative can match only in a text that holds
    # one of its required literals (all found in one pass): the alternatives without one are left
    # out, which changes none of the group's matches, and a group with none left does not run.
    present: dict[int, set[int]] = {}
    for _, anchor in _find_anchors(text):
        for group, alternative in _ANCHORED_ALTERNATIVES[anchor]:
            present.setdefault(group, set()).add(alternative)
    counts: list[float] = []
    for group, always in enumerate(_UNANCHORED_ALTERNATIVES):
        found = present.get(group)
        alternatives = tuple(sorted(found.union(always))) if found else always
        counts.append(len(_alternatives_pattern(group, alternatives).findall(text)) if alternatives else 0)
    words = len(text.split())
    counts.append(float(text.rstrip().endswith(("؟", "?"))))
    counts.append(float(bool(_LIST_ITEM_RE.match(text))))
    counts.append(float(words <= 6 and not _SENTENCE_END_RE.search(text)))
    counts.append(float(words >= 60))
    return counts


def word_ngrams(document: str, ngram_range: tuple[int, int]) -> list[str]:
    """The word n-grams of a prepared text, as scikit-learn's word analyzer gives them with
    :func:`feature_tokens` as its tokenizer (and no lowercasing).

    >>> word_ngrams("لا تجادل العميل", (1, 2))
    ['لا', 'تجادل', 'العميل', 'لا تجادل', 'تجادل العميل']
    """
    tokens = feature_tokens(document)
    low, high = ngram_range
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        grams += map(" ".join, zip(*(tokens[i:] for i in range(n))))
    return grams


def char_wb_ngrams(word: str, ngram_range: tuple[int, int]) -> list[str]:
    """The character n-grams of one word padded with spaces, as scikit-learn's ``char_wb``
    analyzer gives them (a word shorter than an n-gram counts once, whole).

    >>> char_wb_ngrams("حق", (3, 4))
    [' حق', 'حق ', ' حق ']
    """
    padded = f" {word} "
    grams: list[str] = []
    for n in range(ngram_range[0], ngram_range[1] + 1):
        if n >= len(padded):
            grams.append(padded)
            break
        grams += [padded[i:i + n] for i in range(len(padded) - n + 1)]
    return grams


#: Vocabulary indices of the terms of each of a list of documents, flat, with how many belong to
#: each document: ``(indices, lengths)``.
Terms = tuple[np.ndarray, np.ndarray]


class WordTerms:
    """The vocabulary indices of the word n-grams (:func:`word_ngrams`) of prepared texts, n-grams
    not in the vocabulary left out.

    No n-gram is written out: each token is looked up once, as its number among the tokens of the
    vocabulary's terms, and an n-gram is found from its first n - 1 tokens' number and its last
    token's, with NumPy, for all the texts' tokens at once.

    >>> [a.tolist() for a in WordTerms({"لا": 0, "لا تجادل": 1}, (1, 2))(["لا تجادل", "", "لا"])]
    [[0, 1, 0], [2, 0, 1]]
    """

    def __init__(self, vocabulary: dict[str, int], ngram_range: tuple[int, int]) -> None:
        self.ngram_range = ngram_range
        # the tokens of all terms in a row, and how many each term has
        lengths = np.fromiter(map(str.count, vocabulary, itertools.repeat(" ")), dtype=np.int64, count=len(vocabulary)) + 1
        tokens = " ".join(vocabulary).split(" ") if vocabulary else []
        self.token_ids = dict(zip(dict.fromkeys(tokens), itertools.count()))
        self._width = len(self.token_ids)
        token = np.fromiter(map(self.token_ids.__getitem__, tokens), dtype=np.int64, count=len(tokens))
        starts = np.cumsum(lengths) - lengths
        indices = np.fromiter(vocabulary.values(), dtype=np.int64, count=len(vocabulary))
        # the number of each term's first n tokens: for n = 1 its first token's, for a longer prefix
        # its rank among the (prefix, token) keys of the prefixes of that length (in self._keys)
        prefix = token[starts]
        self._keys: dict[int, np.ndarray] = {}
        self._terms = [np.full(self._width, -1, dtype=np.int64)]  # per n - 1: the term of each n-token prefix, or -1
        self._terms[0][prefix[lengths == 1]] = indices[lengths == 1]
        for n in range(1, ngram_range[1]):
            longer = np.flatnonzero(lengths > n)
            self._keys[n], prefix[longer] = np.unique(prefix[longer] * self._width + token[starts[longer] + n],
                                                      return_inverse=True)
            self._terms.append(np.full(len(self._keys[n]), -1, dtype=np.int64))
            ending = longer[lengths[longer] == n + 1]
            self._terms[n][prefix[ending]] = indices[ending]

    def __call__(self, documents: Sequence[str]) -> Terms:
        tokens = [feature_tokens(document) for document in documents]
        per_document = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
        ids = np.fromiter(map(self.token_ids.get, itertools.chain.from_iterable(tokens), _MISSING), dtype=np.int64,
                          count=int(per_document.sum()))
        document = np.repeat(np.arange(len(tokens)), per_document)
        low, high = self.ngram_range
        found, found_in = [], []
        prefix = ids
        for n in range(1, high + 1):
            starts = len(ids) - n + 1  # where an n-gram can start (those across two texts are left out below)
            if starts <= 0:
                break
            if n > 1:
                prefix = self._extended(n - 1, prefix[:starts], ids[n - 1:], document[:starts] == document[n - 1:])
            if n >= low:
                known = prefix >= 0
                terms = self._terms[n - 1][prefix[known]]
                found.append(terms[terms >= 0])
                found_in.append(document[:starts][known][terms >= 0])
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(len(tokens), dtype=np.int64)
        # each text's unigrams, then its bigrams..., as scikit-learn lists them
        order = np.argsort(np.concatenate(found_in), kind="stable")
        return np.concatenate(found)[order], np.bincount(np.concatenate(found_in), minlength=len(tokens))

    def _extended(self, n: int, prefix: np.ndarray, token: np.ndarray, same_text: np.ndarray) -> np.ndarray:
        """The numbers of the (n + 1)-token prefixes made of n-token ones and a token (-1: none)."""
        keys = self._keys[n]
        if not len(keys):
            return np.full(len(prefix), -1, dtype=np.int64)
        key = prefix * self._width + token
        at = np.minimum(np.searchsorted(keys, key), len(keys) - 1)
        return np.where((prefix >= 0) & (token >= 0) & same_text & (keys[at] == key), at, -1)


_MISSING = itertools.repeat(-1)  # what vocabulary.get gives a term it does not hold


class CharTerms:
    """The vocabulary indices of the character n-grams (:func:`char_wb_ngrams`) of each word of
    prepared texts, n-grams not in the vocabulary left out.

    Each distinct word's indices are looked up once and kept, all in one array, for at most
    ``max_words`` words (it starts again when it would hold more): a text's indices are gathered
    from it with NumPy.

    >>> [a.tolist() for a in CharTerms({" حق": 0, "حق ": 1}, (3, 3))(["حق حق", "لا"])]
    [[0, 1, 0, 1], [4, 0]]
    """

    def __init__(self, vocabulary: dict[str, int], ngram_range: tuple[int, int], max_words: int = 200_000) -> None:
        self.vocabulary, self.ngram_range, self.max_words = vocabulary, ngram_range, max_words
        self._keys = _GramKeys.of(vocabulary, ngram_range[1])
        self._forget()

    def _forget(self) -> None:
        self._word_ids: dict[str, int] = {}
        # word i's indices are _indices[_starts[i]:_starts[i + 1]]; both arrays grow by doubling
        self._starts = np.zeros(1024, dtype=np.int64)
        self._indices = np.zeros(1 << 16, dtype=np.int32)

    def __call__(self, documents: Sequence[str]) -> Terms:
        words = [document.split() for document in documents]
        flat = list(itertools.chain.from_iterable(words))
        ids = np.fromiter(map(self._word_ids.get, flat, _MISSING), dtype=np.int64, count=len(flat))
        if (ids < 0).any():
            new = list(dict.fromkeys(flat[i] for i in np.flatnonzero(ids < 0)))
            if len(self._word_ids) + len(new) > self.max_words:
                self._forget()
                new = list(dict.fromkeys(flat))
            self._learn(new)
            ids = np.fromiter(map(self._word_ids.__getitem__, flat), dtype=np.int64, count=len(flat))
        starts = self._starts[ids]
        per_word = self._starts[ids + 1] - starts
        # position of each index: its word's start, plus how many of the word's indices come before it
        before = np.cumsum(per_word) - per_word
        positions = np.repeat(starts - before, per_word) + np.arange(int(per_word.sum()))
        return self._indices[positions], _segment_sums(per_word, np.fromiter(map(len, words), dtype=np.int64,
                                                                             count=len(words)))

    def _learn(self, words: list[str]) -> None:
        found, per_word = self._grams(words)
        lengths = _segment_sums(found >= 0, per_word)
        first, end = len(self._word_ids), len(self._word_ids) + len(words)
        self._word_ids.update(zip(words, range(first, end)))
        stored, added = int(self._starts[first]), int(lengths.sum())
        self._starts = _room(self._starts, end + 1)
        self._starts[first + 1:end + 1] = stored + np.cumsum(lengths)
        self._indices = _room(self._indices, stored + added)
        self._indices[stored:stored + added] = found[found >= 0]

    def _grams(self, words: list[str]) -> Terms:
        """The vocabulary index (-1: none) of each :func:`char_wb_ngrams` n-gram of each word, in
        order, and how many n-grams each word has."""
        if self._keys is not None:
            return self._keys.grams(words, self.ngram_range)
        grams = [char_wb_ngrams(word, self.ngram_range) for word in words]
        found = np.fromiter(map(self.vocabulary.get, itertools.chain.from_iterable(grams), _MISSING), dtype=np.int64,
                            count=sum(map(len, grams)))
        return found, np.fromiter(map(len, grams), dtype=np.int64, count=len(grams))


class _GramKeys:
    """A vocabulary of short strings looked up with NumPy: each string of at most ``longest``
    characters is a number (its characters' ranks in the vocabulary's alphabet as the digits), so
    the n-grams of many words are found at once, with no string made for each.

    >>> keys = _GramKeys.of({" حق": 0, "حق ": 1}, 3)
    >>> [a.tolist() for a in keys.grams(["حق", "لا"], (3, 3))]
    [[0, 1, -1, -1], [2, 2]]
    """

    def __init__(self, vocabulary: dict[str, int], longest: int, alphabet: list[str]) -> None:
        self.longest, self.base = longest, len(alphabet) + 1  # digit 0: a character not in the alphabet
        self.alphabet = np.array([ord(c) for c in alphabet], dtype=np.uint32)
        ids, starts, lengths = self._digits(list(vocabulary))
        fits = (lengths >= 1) & (lengths <= longest)
        keys = np.full(len(lengths), -1, dtype=np.int64)
        keys[fits] = self._window_keys(ids)[lengths[fits] - 1, starts[fits]]
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.indices = np.fromiter(vocabulary.values(), dtype=np.int64, count=len(vocabulary))[order]

    @classmethod
    def of(cls, vocabulary: dict[str, int], longest: int) -> "_GramKeys | None":
        """The lookup of ``vocabulary``'s strings, or None when it is empty or its alphabet too
        large for ``longest`` digits to fit in 63 bits."""
        alphabet = sorted(set("".join(vocabulary)))
        return cls(vocabulary, longest, alphabet) if alphabet and (len(alphabet) + 1) ** longest < 2 ** 63 else None

    def grams(self, words: list[str], ngram_range: tuple[int, int]) -> Terms:
        """Like :meth:`CharTerms._grams`: for each word padded with spaces, its windows of n
        characters for each n of ``ngram_range`` shorter than it, then (when it is no longer than
        the largest n) the padded word itself, as :func:`char_wb_ngrams` lists them."""
        low, high = ngram_range
        ids, starts, padded = self._digits([f" {word} " for word in words])
        sizes = np.arange(low, high + 1)
        counts = np.concatenate([np.where(padded[:, None] > sizes, padded[:, None] - sizes + 1, 0),
                                 (padded <= high)[:, None]], axis=1).ravel()
        sizes_of = np.concatenate([np.broadcast_to(sizes, (len(words), len(sizes))), padded[:, None]], axis=1).ravel()
        first = np.repeat(np.repeat(starts, len(sizes) + 1), counts)
        offset = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        keys = self._window_keys(ids)[np.repeat(sizes_of, counts) - 1, first + offset]
        at = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        found = np.where((keys >= 0) & (self.keys[at] == keys), self.indices[at], -1)
        return found, counts.reshape(len(words), len(sizes) + 1).sum(axis=1)

    def _digits(self, strings: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The strings joined as digits (0 for a character not in the alphabet), where each
        starts and how long it is."""
        codes = np.frombuffer("".join(strings).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        at = np.minimum(np.searchsorted(self.alphabet, codes), len(self.alphabet) - 1)
        ids = np.where(self.alphabet[at] == codes, at + 1, 0).astype(np.int64)
        lengths = np.fromiter(map(len, strings), dtype=np.int64, count=len(strings))
        return ids, np.cumsum(lengths) - lengths, lengths

    def _window_keys(self, ids: np.ndarray) -> np.ndarray:
        """``keys[n - 1, i]``: the number of the ``n`` characters from ``i`` (-1 where one of them
        is not in the alphabet or the text ends first), for n up to ``longest``."""
        keys = np.full((self.longest, len(ids)), -1, dtype=np.int64)
        key = np.where(ids > 0, ids, -1)
        for n in range(1, self.longest + 1):
            if n > 1:
                key = np.where((key[:-1] >= 0) & (ids[n - 1:] > 0), key[:-1] * self.base + ids[n - 1:], -1)
            keys[n - 1, :len(key)] = key
        return keys


def _room(array: np.ndarray, size: int) -> np.ndarray:
    """``array``, or a copy twice as long (or ``size`` long) when it is shorter than ``size``."""
    if len(array) >= size:
        return array
    larger = np.zeros(max(size, 2 * len(array)), dtype=array.dtype)
    larger[:len(array)] = array
    return larger


def _segment_sums(values: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Sums of consecutive runs of ``values``, ``lengths[i]`` values in run ``i`` (a run may be empty)."""
    totals = np.concatenate([[0], np.cumsum(values, dtype=np.int64)])
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    return totals[bounds[1:]] - totals[bounds[:-1]]


def count_terms(terms: Terms, n_features: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The document-term count matrix of per-document term indices, in CSR form: ``indptr``,
    column ``indices`` (sorted in each row) and float ``counts``.

    >>> [a.tolist() for a in count_terms((np.array([2, 0, 2]), np.array([3, 0])), 3)]
    [[0, 2, 2], [0, 2], [1.0, 2.0]]
    """
    indices, lengths = terms
    # one key per (row, term); 32-bit keys where they fit sort in half the time
    key_type = np.int32 if len(lengths) * n_features <= np.iinfo(np.int32).max else np.int64
    rows = np.repeat(np.arange(len(lengths)), lengths).astype(key_type)
    keys, counts = np.unique(rows * n_features + indices.astype(key_type), return_counts=True)
    indptr = np.searchsorted(keys // n_features if len(keys) else keys, np.arange(len(lengths) + 1), side="left")
    index_type = np.int32 if len(keys) <= np.iinfo(np.int32).max else np.int64
    return indptr.astype(index_type), (keys % n_features).astype(index_type), counts.astype(np.float64)


def _compile_cues() -> list[tuple[str, re.Pattern[str]]]:
    return [(name, _alternatives_pattern(group, tuple(range(len(_CUE_ALTERNATIVES[group])))))
            for group, name in enumerate(CUE_PATTERNS)]


def _required_literals(items: Any) -> frozenset[str] | None:
    """Strings of which every match of a parsed pattern contains one (the most selective such
    set found), or None when there is none to rely on. Consecutive parts that each match one of a
    few fixed strings (a letter, a choice of words, an optional letter; a look-around matches the
    empty string) give the strings their run can match, which a match holds one of.

    >>> sorted(_required_literals(_sre.parse("(?<!x)(العميل|الزبون) (هو )?ملك")))
    ['الزبون ملك', 'الزبون هو ملك', 'العميل ملك', 'العميل هو ملك']
    """
    candidates: list[frozenset[str]] = []
    run = _EMPTY
    for op, value in items:
        fixed = _fixed_strings(op, value)
        if fixed is not None and len(run) * len(fixed) <= _MAX_FIXED_STRINGS:
            run = frozenset(a + b for a in run for b in fixed)
            continue
        candidates.append(run)
        run = fixed if fixed is not None else _EMPTY
        found: frozenset[str] | None = None
        if op is _sre.SUBPATTERN:
            found = _required_literals(value[-1])
        elif op is _sre.BRANCH:
            branches = [_required_literals(branch) for branch in value[1]]
            found = None if any(b is None for b in branches) else frozenset().union(*branches)  # type: ignore[arg-type]
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and value[0] >= 1:
            found = _required_literals(value[2])
        if found:
            candidates.append(found)
    candidates.append(run)
    # a string holding another of its set adds nothing: a match holding it holds the other
    usable = [frozenset(s for s in strings if not any(o != s and o in s for o in strings))
              for strings in candidates if "" not in strings]
    return max(usable, key=lambda strings: min(map(len, strings)), default=None)


_EMPTY = frozenset([""])
_MAX_FIXED_STRINGS = 64


def _fixed_strings(op: Any, value: Any) -> frozenset[str] | None:
    """The strings one part of a parsed pattern can match when they are a few fixed ones, else None."""
    if op is _sre.LITERAL:
        return frozenset(chr(value))
    if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
        return _EMPTY
    if op is _sre.IN and all(kind is _sre.LITERAL for kind, _ in value):
        return frozenset(chr(code) for _, code in value)
    if op is _sre.SUBPATTERN and not value[1]:  # a group without flags of its own
        return _sequence_strings(value[-1])
    if op is _sre.BRANCH:
        branches = [_sequence_strings(branch) for branch in value[1]]
        return None if any(b is None for b in branches) else frozenset().union(*branches)  # type: ignore[arg-type]
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and value[1] == 1:  # optional, or once
        once = _sequence_strings(value[2])
        return None if once is None else once | _EMPTY if value[0] == 0 else once
    return None


def _sequence_strings(items: Any) -> frozenset[str] | None:
    """The strings a parsed sequence can match when they are a few fixed ones, else None."""
    strings = _EMPTY
    for op, value in items:
        fixed = _fixed_strings(op, value)
        if fixed is None or len(strings) * len(fixed) > _MAX_FIXED_STRINGS:
            return None
        strings = frozenset(a + b for a in strings for b in fixed)
    return strings


def _anchor_index() -> tuple[list[str], list[list[tuple[int, int]]], list[tuple[int, ...]]]:
    """The literals that cue alternatives require (see :func:`_required_literals`), the
    ``(group, alternative)`` pairs requiring each, and each group's alternatives without one."""
    anchors: dict[str, list[tuple[int, int]]] = {}
    unanchored: list[tuple[int, ...]] = []
    for group, alternatives in enumerate(_CUE_ALTERNATIVES):
        required = [_required_literals(_sre.parse(alternative)) for alternative in alternatives]
        for number, literals in enumerate(required):
            for literal in literals or ():
                anchors.setdefault(literal, []).append((group, number))
        unanchored.append(tuple(number for number, literals in enumerate(required) if literals is None))
    return list(anchors), list(anchors.values()), unanchored


def _anchor_finder(anchors: list[str]) -> Any:
    """An Aho-Corasick automaton that finds every occurrence of the anchors (value: their index)."""
    import ahocorasick

    finder = ahocorasick.Automaton()
    for index, anchor in enumerate(anchors):
        finder.add_word(anchor, index)
    if anchors:
        finder.make_automaton()
    return finder


def _find_anchors(text: str) -> Iterable[tuple[int, int]]:
    """``(end, anchor index)`` of every anchor occurrence in ``text``, overlapping ones included."""
    return _ANCHOR_FINDER.iter(text) if _ANCHORS else ()


@functools.lru_cache(maxsize=4096)
def _alternatives_pattern(group: int, alternatives: tuple[int, ...]) -> re.Pattern[str]:
    """A cue group's pattern with only the given alternatives (all of them: the group's own)."""
    return re.compile("|".join(f"(?:{_CUE_ALTERNATIVES[group][number]})" for number in alternatives))


# the parts of a pattern the letter fold must not touch: repeat counts and escapes (its digit fold
# made \u200c, the half-space, into \u000c, and lowercasing would make \W into \w)
_PATTERN_SYNTAX_RE = re.compile(r"(\{\d+(?:,\d*)?\}|\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}|\\.)")


def fold_pattern(pattern: str) -> str:
    r"""A cue pattern in the letter fold of the text it is matched against, its repeat counts and
    escapes kept.

    >>> fold_pattern("هم .{1,30} هم ۱۰")
    'هم .{1,30} هم 00'
    >>> fold_pattern(r"(?<![\w\u200c])مشتري")
    '(?<![\\w\\u200c])مشتری'
    """
    return "".join(part if index % 2 else fold_letters(part) for index, part in enumerate(_PATTERN_SYNTAX_RE.split(pattern)))


_CUE_ALTERNATIVES = [[fold_pattern(p) for p in patterns] for patterns in CUE_PATTERNS.values()]
_CUE_GROUPS = _compile_cues()
_ANCHORS, _ANCHORED_ALTERNATIVES, _UNANCHORED_ALTERNATIVES = _anchor_index()
_ANCHOR_FINDER = _anchor_finder(_ANCHORS)
