"""Exceptions and warnings of forumminer.

Every error says what was wrong, with which file, row or value, and what to do about it.
The CLI prints ``Error: <message>`` on stderr and exits with status 1.
"""

from __future__ import annotations


class ForumminerError(Exception):
    """Base class of every error forumminer raises on purpose."""


class InputError(ForumminerError):
    """An input file or table cannot be read as a corpus.

    ``path`` is the offending file (or None for in-memory data) and ``row`` the 1-based line
    or row number when one applies.
    """

    def __init__(self, message: str, *, path: object = None, row: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.row = row


class ParameterError(ForumminerError, ValueError):
    """A parameter has a value outside what is allowed; ``name`` and ``value`` hold it."""

    def __init__(self, message: str, *, name: str, value: object) -> None:
        super().__init__(message)
        self.name = name
        self.value = value


class ModelError(ForumminerError):
    """A stance model file cannot be loaded, is untrusted, or is not fitted."""

    def __init__(self, message: str, *, path: object = None) -> None:
        super().__init__(message)
        self.path = path


class OutputError(ForumminerError):
    """An output file cannot be written (folder missing or read-only, disk full); any previous
    file at ``path`` is left as it was."""

    def __init__(self, message: str, *, path: object = None) -> None:
        super().__init__(message)
        self.path = path


class ForumminerWarning(UserWarning):
    """Something worth knowing that did not stop the run (an empty file, a guessed encoding)."""


def check_choice(name: str, value: object, allowed: tuple[str, ...] | list[str]) -> None:
    """Raise ParameterError unless ``value`` is one of ``allowed``.

    >>> check_choice("lang", "ar", ("ar", "fa"))
    """
    if value not in allowed:
        raise ParameterError(
            f"{name} must be one of {', '.join(allowed)}; got {value!r}.", name=name, value=value
        )
