"""The worker processes a build shares between listing and parsing seeds."""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor
from types import TracebackType

from feedpub import lock

#: How often a worker checks that the build that started it is still alive.
_PARENT_CHECK_SECONDS = 0.2


class Workers:
    """Up to ``jobs`` processes, started when first needed.

    On Linux they are forked: a worker needs only code the build has already
    loaded, and forking starts one in milliseconds, which is what lets even a
    no-op rebuild of a large folder use every core.
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool: ProcessPoolExecutor | None = None

    def pool(self) -> Executor:
        if self._pool is None:
            context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
            self._pool = ProcessPoolExecutor(
                max_workers=self.jobs,
                mp_context=context,
                initializer=_start_worker,
                initargs=(os.getpid(),),
            )
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _start_worker(parent: int) -> None:
    """Make a worker hold no lock of its build's and end when the build ends, even killed."""
    for descriptor in lock.HELD:
        os.close(descriptor)  # a forked copy would keep the output locked after a kill
    lock.HELD.clear()
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_PARENT_CHECK_SECONDS)
    os._exit(1)
