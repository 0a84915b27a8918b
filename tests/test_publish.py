"""Writing output files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from feedpub.publish import publish


def test_writes_new_file_readable_by_all(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "rss.xml"
    umask = os.umask(0o022)  # the common default, whatever the test runner's is
    try:
        assert publish({path: b"<rss/>"}) == (path,)
    finally:
        os.umask(umask)
    assert path.read_bytes() == b"<rss/>"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert sorted(p.name for p in path.parent.iterdir()) == ["rss.xml"]


def test_same_bytes_keep_the_file_and_its_mtime(tmp_path: Path) -> None:
    path = tmp_path / "rss.xml"
    publish({path: b"<rss/>"})
    os.utime(path, ns=(5_000_000_000, 5_000_000_000))
    assert publish({path: b"<rss/>"}) == ()
    assert path.stat().st_mtime_ns == 5_000_000_000


def test_new_bytes_replace_the_file_in_one_step(tmp_path: Path) -> None:
    path = tmp_path / "rss.xml"
    publish({path: b"<old/>"})
    inode = path.stat().st_ino
    assert publish({path: b"<new/>"}) == (path,)
    assert path.read_bytes() == b"<new/>"
    # A rename, not a rewrite in place: readers holding the old file keep it whole.
    assert path.stat().st_ino != inode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rss.xml"]
