"""What a build remembers of what it reported: news only, and losing it costs nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedpub import reported
from feedpub.build import BuildResult, build
from feedpub.config import Config
from feedpub.errors import Diagnostic
from tests.test_cron import BASE_URL, make_seeds


def run(seeds: Path, output: Path, state_dir: Path) -> tuple[BuildResult, list[str]]:
    said: list[Diagnostic] = []
    config = Config(base_url=BASE_URL, output=output)
    result = build(seeds=seeds, config=config, report=said.append, state_dir=state_dir)
    return result, [str(diagnostic) for diagnostic in said]


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    seeds = make_seeds(tmp_path / "seeds", 3)
    (seeds / "broken.txt").write_bytes(b"")
    return seeds


def test_unchanged_problems_are_said_once(tmp_path: Path, broken: Path) -> None:
    state = tmp_path / "state"
    first, said = run(broken, tmp_path / "public", state)
    assert (first.rejected, first.not_repeated, len(said)) == (1, 0, 1)
    second, said = run(broken, tmp_path / "public", state)
    assert (second.rejected, second.not_repeated, said) == (1, 1, [])
    # Another output folder has heard nothing yet.
    other, said = run(broken, tmp_path / "elsewhere", state)
    assert (other.not_repeated, len(said)) == (0, 1)


@pytest.mark.parametrize(
    "damage",
    [b"", b"not json", b"[]", b'{"format": 1, "seeds": []}', b'{"format": 2}', b"\xff"],
)
def test_a_damaged_memory_means_everything_is_said_again(
    tmp_path: Path, broken: Path, damage: bytes
) -> None:
    state = tmp_path / "state"
    run(broken, tmp_path / "public", state)
    [memory] = state.glob("reported-*.json")
    memory.write_bytes(damage)
    result, said = run(broken, tmp_path / "public", state)
    assert (result.not_repeated, len(said)) == (0, 1)
    assert run(broken, tmp_path / "public", state)[1] == []


def test_a_memory_that_cannot_be_kept_is_a_warning(tmp_path: Path, broken: Path) -> None:
    state = tmp_path / "state"
    state.write_bytes(b"a file, not a folder")
    for _ in range(2):
        result, said = run(broken, tmp_path / "public", state)
        assert result.rejected == 1
        assert said[0].endswith(": error: empty file: expected a dateline, a title and a body")
        assert said[1].startswith(f"{state}/reported-")
        assert said[1].endswith(
            ".json: warning: cannot keep what was reported: File exists; the next build repeats it"
        )


def test_the_memory_holds_a_digest_per_seed_with_problems(tmp_path: Path, broken: Path) -> None:
    state = tmp_path / "state"
    run(broken, tmp_path / "public", state)
    [memory] = state.glob("reported-*.json")
    assert set(reported.load(memory)) == {"broken.txt"}
    assert [path.name for path in state.iterdir()] == [memory.name]  # no temporary left
