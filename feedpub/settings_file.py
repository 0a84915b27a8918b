"""Where a command's settings are: ``feedpub.toml``, or ``pyproject.toml`` with a
``[tool.feedpub]`` table, found upward from the current folder, and their TOML.

Apart from :mod:`feedpub.config`, which checks the settings, so that a command that
needs one table of them (``feedpub validate``'s ``[validate]``) reads it without
importing every setting's check.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from feedpub.errors import ConfigError, ReadError
from feedpub.reading import read_capped

CONFIG_FILE = "feedpub.toml"
PYPROJECT = "pyproject.toml"
MAX_CONFIG_SIZE = 1024 * 1024


def find_settings(cwd: Path) -> Path | None:
    """The settings file for a command run in ``cwd``, or None.

    In ``cwd``, then in each parent folder up to the root, the first
    ``feedpub.toml``, or ``pyproject.toml`` with a ``[tool.feedpub]`` table. The
    path is ``cwd`` joined with ``..`` as often as needed, so it stays relative
    when ``cwd`` is.
    """
    folder = cwd
    for _ in (None, *cwd.resolve().parents):
        if (folder / CONFIG_FILE).is_file():
            return folder / CONFIG_FILE
        pyproject = folder / PYPROJECT
        if pyproject.is_file():
            tool = parse(pyproject)[0].get("tool")
            if isinstance(tool, dict) and "feedpub" in tool:
                return pyproject
        folder = folder / ".."
    return None


def parse(path: Path) -> tuple[dict[str, object], str]:
    """The TOML document in ``path``, and its text; a ConfigError naming it when it is not one."""
    try:  # as any input: a FIFO named feedpub.toml must not hang a build
        raw = read_capped(path, MAX_CONFIG_SIZE, hint="not a settings file")
    except ReadError as error:
        raise ConfigError(error.message, path=path) from None
    try:
        text = raw.decode("utf-8")
        return tomllib.loads(text), text
    except UnicodeDecodeError as error:
        raise ConfigError(f"cannot read the configuration: {error}", path=path) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"not valid TOML: {error}", path=path) from None


def table(path: Path, name: str) -> object:
    """The value of the top-level key ``name`` of the settings in ``path`` (below
    ``[tool.feedpub]`` in ``pyproject.toml``); None when there is none. Raises
    :class:`ConfigError` for a file that is not TOML."""
    data = parse(path)[0]
    if path.name == PYPROJECT:
        tool = data.get("tool")
        data = tool.get("feedpub", {}) if isinstance(tool, dict) else {}
    return data.get(name) if isinstance(data, dict) else None
