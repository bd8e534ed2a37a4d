"""Write output files atomically: nothing half-written ever sits at an output path.

:func:`atomic_path` gives a temporary file in the output's folder and renames it into place only
when the writer finished; on an error, Ctrl-C or SIGTERM the temporary file is removed and any
previous output stays as it was. Every writer of forumminer (tables, sidecars, reports, plots,
models) goes through it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import OutputError

SIDECAR_SUFFIX = ".meta.json"
_UMASK = os.umask(0)
os.umask(_UMASK)


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` to write to; rename it to ``path`` once the block ends.

    The sidecar ``PATH.meta.json`` of a previous output is removed before the rename, so a sidecar
    never describes another file than the one beside it. OSErrors (a read-only folder, a full disk)
    become one-line :class:`OutputError` messages.

    >>> with atomic_path("out/notes.txt") as temp:  # doctest: +SKIP
    ...     temp.write_text("done")
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f".part{target.suffix}", dir=target.parent)
        os.close(handle)
    except OSError as error:
        raise OutputError(output_error_message(target, error), path=target) from error
    temp = Path(name)
    try:
        yield temp
        os.chmod(temp, 0o666 & ~_UMASK)
        target.with_name(target.name + SIDECAR_SUFFIX).unlink(missing_ok=True)
        os.replace(temp, target)
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise OutputError(output_error_message(target, error), path=target) from error
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_bytes_atomically(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through :func:`atomic_path` and return the path."""
    with atomic_path(path) as temp:
        temp.write_bytes(data)
    return Path(path)


def check_writable(path: str | Path) -> None:
    """Raise OutputError now (before any work) when ``path``'s folder cannot take a new file."""
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"{target}: is a folder; give a file name for the output.", path=target)
    folder = target.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{target}: cannot write (folder {folder} is not writable); choose another output.",
                          path=target)


def output_error_message(target: Path, error: OSError) -> str:
    """The one-line message for an OSError while writing ``target``."""
    reason = error.strerror or type(error).__name__
    kept = f"the previous {target.name} is unchanged" if target.exists() else "nothing was written"
    return f"{target}: cannot write ({reason}); {kept}. Free space or choose another output."
