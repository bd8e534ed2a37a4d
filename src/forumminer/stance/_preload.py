"""Imported once by the fork server of labeling workers (:func:`forumminer._parallel.start_fork_server`):
what labeling builds or imports on first use (hazm's Persian normalizer, pandas, the tables of
language detection and normalization), made here by cutting a Persian and an Arabic line into
passages and normalizing them, is in every worker from its start."""

from ..text.normalize import build_normalizers, normalize
from ..text.passages import passage_frame

build_normalizers()
for _passage in passage_frame([{"doc_id": "1", "text": "مشتری همیشه حق ندارد"},
                               {"doc_id": "2", "text": "العميل ليس دائما على حق"}]).itertuples():
    normalize(_passage.text, _passage.lang)
