"""File I/O: read capped inputs; write outputs only when their bytes change, never half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from feedpub.errors import ReadError

# Published files are for everyone to read, as a web server expects.
FILE_MODE = 0o644


def write_if_changed(path: Path, data: bytes) -> bool:
    """Replace ``path`` with ``data`` atomically unless it already holds exactly that.

    Returns whether the file was written. An unchanged file keeps its mtime, so
    web servers keep answering conditional requests with 304.
    """
    if holds(path, data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        temporary.chmod(FILE_MODE)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return True


def holds(path: Path, data: bytes) -> bool:
    """Whether ``path`` exists and holds exactly ``data``."""
    try:
        return path.read_bytes() == data
    except FileNotFoundError:
        return False


def read_capped(path: Path, limit: int) -> bytes:
    """The file's bytes; :class:`ReadError` if it cannot be read or holds more than ``limit``."""
    try:
        with path.open("rb") as file:
            data = file.read(limit + 1)
    except OSError as error:
        raise ReadError(f"cannot read: {error.strerror}", path=path) from None
    if len(data) > limit:
        raise ReadError(
            f"larger than the {limit:,}-byte limit; raise it with --max-size", path=path
        )
    return data
