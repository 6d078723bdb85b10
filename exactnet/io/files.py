"""Atomic file writes: every file exactnet writes goes through :func:`write_atomic`.

A reader never sees a half-written network, certificate, plot or report: the
bytes go to a temporary file in the same folder, which then replaces the
target in one rename; on any failure the temporary file is removed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from exactnet.exceptions import InvalidArgument

__all__ = ["write_atomic"]


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write `data` (text is UTF-8) to `path` atomically; returns the path.

    The file gets the usual permissions 0644 (``mkstemp`` makes 0600, too
    strict for files meant to be shared).

    Raises
    ------
    InvalidArgument
        If the folder cannot be written to (one line naming the path).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> write_atomic(d / "a.txt", "1/3\\n").read_text()
    '1/3\\n'
    >>> sorted(p.name for p in d.iterdir())
    ['a.txt']
    """
    p = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    folder = p.parent if str(p.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InvalidArgument(f"{p}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        os.chmod(tmp, 0o644)
        os.replace(tmp, p)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return p
