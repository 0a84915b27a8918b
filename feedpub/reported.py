"""What the last build of an output reported of each seed, so a rerun reports only news.

Cron mails whatever a run prints: a seed rejected yesterday and unchanged
since would otherwise be mailed every five minutes. A build remembers, per
output folder, a digest of each seed's diagnostics; the next one prints a
seed's diagnostics only when that digest is new or differs. Like the cache,
this is no part of the output: losing the file only means everything is
reported once more.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from feedpub.cache import Diagnostics

#: Read no more than this of a file that should hold a digest or two per seed.
MAX_SIZE = 256 * 1024 * 1024
_FORMAT = 1


def reported_file(state_dir: Path, output: Path, seeds: Path, authority: str) -> Path:
    """One file per output folder, seeds folder and site."""
    parts = f"{output.resolve()}\0{seeds.resolve()}\0{authority}"
    key = hashlib.sha256(os.fsencode(parts)).hexdigest()[:20]
    return state_dir / f"reported-{key}.json"


def digest(diagnostics: Diagnostics) -> str:
    """A short digest of one seed's diagnostics, in order."""
    return hashlib.sha256(json.dumps(diagnostics).encode()).hexdigest()[:16]


def load(path: Path) -> dict[str, str]:
    """The digests an earlier build saved, by seed name; none when there is no such
    file or it is not one this module wrote."""
    try:
        with path.open("rb") as file:
            data = json.loads(file.read(MAX_SIZE + 1))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        return {}
    seeds = data.get("seeds")
    if not isinstance(seeds, dict):
        return {}
    return {
        name: value
        for name, value in seeds.items()
        if isinstance(name, str) and isinstance(value, str)
    }


def save(path: Path, digests: Mapping[str, str]) -> None:
    """Replace the file with ``digests`` atomically. Raises :class:`OSError`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"format": _FORMAT, "seeds": dict(sorted(digests.items()))})
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".reported-")
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(text)
        Path(temporary).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise
