"""Settings from files and flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedpub.config import Config, load_config
from feedpub.errors import ConfigError


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_feedpub_toml_in_the_current_folder(tmp_path: Path) -> None:
    write(tmp_path / "feedpub.toml", 'base_url = "https://news.example.org"\nlimit = 5\n')
    config = load_config(None, {}, cwd=tmp_path)
    assert config == Config(
        base_url="https://news.example.org/",
        limit=5,
        seeds=tmp_path / "seeds",
        output=tmp_path / "public",
    )


def test_tool_table_in_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.feedpub]\ntitle = "T"\n')
    config = load_config(None, {"base_url": "https://example.com/"}, cwd=tmp_path)
    assert config.title == "T"


def test_pyproject_without_a_tool_table_is_not_ours(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    config = load_config(None, {"base_url": "https://example.com/"}, cwd=tmp_path)
    assert config.title == "feedpub"


def test_feedpub_toml_wins_over_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.feedpub]\ntitle = "From pyproject"\n')
    write(tmp_path / "feedpub.toml", 'title = "From feedpub.toml"\n')
    config = load_config(None, {"base_url": "https://example.com/"}, cwd=tmp_path)
    assert config.title == "From feedpub.toml"


def test_flags_override_the_file(tmp_path: Path) -> None:
    write(tmp_path / "feedpub.toml", 'base_url = "https://a.example/"\ntitle = "File"\n')
    config = load_config(None, {"title": "Flag", "limit": None}, cwd=tmp_path)
    assert (config.title, config.base_url, config.limit) == ("Flag", "https://a.example/", 50)


def test_paths_in_a_file_are_relative_to_the_file(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    config_file = write(site / "feedpub.toml", 'base_url = "https://e.example/"\noutput = "out"\n')
    config = load_config(config_file, {}, cwd=tmp_path)
    assert config.output == site / "out"
    assert config.seeds == site / "seeds"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'limit = "ten"\n',
            "feedpub.toml:2: limit: expected a whole number of at least 1, got 'ten'",
        ),
        (
            "limit = true\n",
            "feedpub.toml:2: limit: expected a whole number of at least 1, got True",
        ),
        ('language = "English"\n', "feedpub.toml:2: language: expected a language tag such as"),
        ("title = 3\n", "feedpub.toml:2: title: expected a string, got 3"),
        ('article_path = "/a/{key}"\n', "feedpub.toml:2: article_path: expected a relative path"),
        ('article_path = "a.html"\n', "feedpub.toml:2: article_path: expected a relative path"),
        ('article_path = "{key}/{slug}"\n', "feedpub.toml:2: article_path: expected only {key}"),
        ("[feeds]\nx = 1\n", "feedpub.toml:2: feeds: unknown setting (expected one of: "),
        ("title = \n", "feedpub.toml: not valid TOML: "),
    ],
)
def test_bad_settings_name_the_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path / "feedpub.toml", 'base_url = "https://example.com/"\n' + text)
    with pytest.raises(ConfigError) as caught:
        load_config(None, {}, cwd=tmp_path)
    assert str(caught.value).startswith(f"{tmp_path}/{message}")


def test_article_path_placeholders(tmp_path: Path) -> None:
    config = load_config(
        None,
        {"base_url": "https://example.com/blog", "article_path": None},
        cwd=tmp_path,
    )
    assert config.base_url == "https://example.com/blog/"
    write(tmp_path / "feedpub.toml", 'article_path = "{year}/{month}/{day}/{key}/"\n')
    config = load_config(None, {"base_url": "https://example.com/"}, cwd=tmp_path)
    assert config.article_path == "{year}/{month}/{day}/{key}/"
