"""One build at a time per output folder."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from stat import S_ISREG

from feedpub.errors import LockTimeoutError, OutputError

LOCK_FILE = ".feedpub.lock"
_POLL_SECONDS = 0.05
#: Descriptors of the locks this process holds, which forked workers must close.
HELD: set[int] = set()


@contextmanager
def output_lock(folder: Path, *, timeout: float) -> Iterator[None]:
    """Hold the output folder's lock, waiting up to ``timeout`` seconds for it.

    The lock is an advisory ``flock`` on a file that stays in the folder, so a
    killed run releases it with its process and no stale lock is ever left.
    Raises :class:`LockTimeoutError` when another run holds it for too long, and
    :class:`OutputError` when the folder cannot be made or the lock file opened.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_NONBLOCK, 0o644)
    except OSError as error:
        where = Path(error.filename) if isinstance(error.filename, str) else folder
        raise OutputError(
            f"cannot use the output folder: {error.strerror}; nothing was written", path=where
        ) from None
    if not S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise OutputError("not a regular file; nothing was written", path=folder / LOCK_FILE)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeoutError(
                        f"another feedpub build holds the lock; gave up after {timeout:g} s",
                        path=folder / LOCK_FILE,
                    ) from None
                time.sleep(_POLL_SECONDS)
        HELD.add(descriptor)
        yield
    finally:
        HELD.discard(descriptor)
        os.close(descriptor)
