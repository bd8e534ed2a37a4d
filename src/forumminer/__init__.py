"""forumminer: mine Arabic and Persian discussions about how to treat customers.

The public API loads lazily, so ``import forumminer`` (and ``forumminer --help``) stays fast:

>>> import forumminer
>>> forumminer.detect_language("همیشه حق با مشتری نیست")
'fa'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "read_corpus": "forumminer.io.readers",
    "iter_documents": "forumminer.io.readers",
    "read_table": "forumminer.io.readers",
    "write_table": "forumminer.export",
    "write_sidecar": "forumminer.export",
    "detect_language": "forumminer.text.langid",
    "normalize": "forumminer.text.normalize",
    "tokenize": "forumminer.text.tokenize",
    "sentences": "forumminer.text.segment",
    "passages": "forumminer.text.passages",
    "iter_passages": "forumminer.text.passages",
    "label": "forumminer.stance.labeling",
    "train": "forumminer.stance.training",
    "evaluate": "forumminer.stance.training",
    "read_labeled": "forumminer.stance.training",
    "load_model": "forumminer.stance.model",
    "model_info": "forumminer.stance.linear",
    "save_model": "forumminer.stance.model",
    "StanceClassifier": "forumminer.stance.model",
    "summarize": "forumminer.summary.report",
    "sample": "forumminer.summary.sampling",
    "read_gold": "forumminer.summary.sampling",
    "trends": "forumminer.summary.trends",
    "plot_trends": "forumminer.summary.plots",
    "parse_dates": "forumminer.summary.dates",
    "run_demo": "forumminer.pipeline",
}

__all__ = ["__version__", *_EXPORTS]

if TYPE_CHECKING:
    from .export import write_sidecar, write_table
    from .io.readers import iter_documents, read_corpus, read_table
    from .pipeline import run_demo
    from .stance.labeling import label
    from .stance.linear import model_info
    from .stance.model import StanceClassifier, load_model, save_model
    from .stance.training import evaluate, read_labeled, train
    from .summary.dates import parse_dates
    from .summary.plots import plot_trends
    from .summary.report import summarize
    from .summary.sampling import read_gold, sample
    from .summary.trends import trends
    from .text.langid import detect_language
    from .text.normalize import normalize
    from .text.passages import iter_passages, passages
    from .text.segment import sentences
    from .text.tokenize import tokenize


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'forumminer' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
