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


def read_capped(path: Path, limit: int, *, hint: str = "raise it with --max-size") -> bytes:
    """The file's bytes; :class:`ReadError` if it cannot be read, is not a regular file or
    holds more than ``limit`` (the message then ends with ``hint``)."""
    try:
        with open_regular(path) as file:
            data = file.read(limit + 1)
    except OSError as error:
        raise ReadError(f"cannot read: {error.strerror}", path=path) from None
    except ValueError:
        raise ReadError("not a regular file", path=path) from None
    if len(data) > limit:
        raise ReadError(f"larger than the {limit:,}-byte limit; {hint}", path=path)
    return data
