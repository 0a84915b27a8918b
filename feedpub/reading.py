"""Reading inputs: regular files only, never blocking on a FIFO, and capped in size.

Apart from the writing in :mod:`feedpub.publish`, so that a command that only reads
(``feedpub validate``) does not import what writing needs.
"""

from __future__ import annotations

import os
from pathlib import Path
from stat import S_ISREG
from typing import BinaryIO

from feedpub.errors import ReadError


def open_regular(path: Path) -> BinaryIO:
    """``path`` opened for reading if it is a regular file, without blocking on a FIFO.

    Raises :class:`OSError` when it cannot be opened, :class:`ValueError` when it is
    not a regular file.
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        if not S_ISREG(os.fstat(descriptor).st_mode):
            raise ValueError(path)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


#: What a message about a too large input ends with, unless told otherwise.
MAX_SIZE_HINT = "raise it with --max-size"


def read_capped(path: Path, limit: int, *, hint: str = MAX_SIZE_HINT) -> bytes:
    """The file's bytes; :class:`ReadError` if it cannot be read, is not a regular file or
    holds more than ``limit`` (the message then ends with ``hint``)."""
    try:
        with open_regular(path) as file:
            return read_at_most(file, limit, hint=hint, path=path)
    except OSError as error:
        raise ReadError(f"cannot read: {error.strerror}", path=path) from None
    except ValueError:
        raise ReadError("not a regular file", path=path) from None


def read_at_most(
    stream: BinaryIO, limit: int, *, hint: str = MAX_SIZE_HINT, path: Path | None = None
) -> bytes:
    """The bytes of ``stream`` (a file, standard input); :class:`ReadError`, naming
    ``path``, if it holds more than ``limit`` (the message then ends with ``hint``)."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ReadError(f"larger than the {limit:,}-byte limit; {hint}", path=path)
    return data
