"""Imported once by the fork server of labeling workers (:func:`forumminer._parallel.start_fork_server`):
what labeling builds on first use, built here, is in every worker from its start."""

from ..text.normalize import build_normalizers

build_normalizers()
