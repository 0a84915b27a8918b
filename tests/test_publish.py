"""Writing output files."""

from __future__ import annotations

import json
import os
import stat
import tracemalloc
from pathlib import Path

import pytest

from feedpub.publish import JSON_READ_WHOLE, count_listed, publish


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


@pytest.mark.parametrize(
    ("document", "count"),
    [
        (b'{"items": []}', 0),
        (b'{"items":[1,2,{"a":[]}]}', 3),
        (
            # Brackets, commas and escaped quotes in strings; arrays and objects in items;
            # an "items" deeper down; members after the array.
            b'{"title": "a ] , [ { \\" \\\\", "items": [{"x": "]\\",[", "y": [1, [2, 3],'
            b' {"z": "}"}]}, 2, "three", [4], null, {"items": [1, 2, 3]}], "after": [1]}',
            6,
        ),
        (b'{"a": {"items": [1, 2]}}', None),  # not the object's own member
        (b'[{"items": [1]}]', None),  # no object at the top
        (b'<rss version="2.0"/>', None),
        (b'{"items": [1, 2', None),  # cut off
    ],
)
@pytest.mark.parametrize("whole", [0, JSON_READ_WHOLE])  # as a stream, and read whole
def test_json_items_are_counted(
    tmp_path: Path, document: bytes, count: int | None, whole: int
) -> None:
    path = tmp_path / "feed.json"
    path.write_bytes(document)
    assert count_listed(path, "items", whole=whole) == count
    if count is not None:  # as a JSON reader counts them
        assert len(json.loads(document)["items"]) == count


def test_a_json_feed_over_the_limit_is_counted_in_little_memory(tmp_path: Path) -> None:
    path = tmp_path / "feed.json"
    item = b'{"id": "x", "content_html": "' + b'],\\"' * 2000 + b'"}'
    path.write_bytes(b'{"items": [' + b",".join([item] * 1000) + b"]}")
    assert path.stat().st_size > 6_000_000
    tracemalloc.start()
    try:
        assert count_listed(path, "items", whole=1_000_000) == 1000
        assert tracemalloc.get_traced_memory()[1] < 4 * 1024 * 1024
    finally:
        tracemalloc.stop()
