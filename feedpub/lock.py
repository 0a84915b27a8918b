"""One build at a time per output folder."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from stat import S_ISREG

from feedpub.errors import LockTimeoutError, OutputError

#: The lock file earlier versions kept in the output folder, where deploys carried it.
LEGACY_LOCK_FILE = ".feedpub.lock"
_POLL_SECONDS = 0.05
#: Descriptors of the locks this process holds, which forked workers must close.
HELD: set[int] = set()


@contextmanager
def output_lock(folder: Path, *, timeout: float) -> Iterator[None]:
    """Hold the output folder's lock, waiting up to ``timeout`` seconds for it.

    The lock is an advisory ``flock`` on the folder itself, so nothing is added
    to what gets deployed, and a killed run releases it with its process.
    Raises :class:`LockTimeoutError` when another run holds it for too long, and
    :class:`OutputError` when the folder cannot be made, opened or locked.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as error:
        where = Path(error.filename) if isinstance(error.filename, str) else folder
        raise OutputError(
            f"cannot use the output folder: {error.strerror}; nothing was written", path=where
        ) from None
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
                        path=folder,
                    ) from None
                time.sleep(_POLL_SECONDS)
            except OSError as error:
                raise OutputError(
                    f"cannot lock the output folder: {error.strerror}; nothing was written",
                    path=folder,
                ) from None
        HELD.add(descriptor)
        yield
    finally:
        HELD.discard(descriptor)
        os.close(descriptor)


def remove_legacy_lock(folder: Path) -> Path | None:
    """Delete the lock file an earlier version left in ``folder``, if it is a regular
    file; its path when it was removed."""
    path = folder / LEGACY_LOCK_FILE
    with suppress(OSError):
        if S_ISREG(path.lstat().st_mode):
            path.unlink()
            return path
    return None
