"""What the XML outputs share: the validator, and counting entries in a published file.

Both import what they need when called, so that importing an output stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from feedpub.validate.findings import Finding


def validate(data: bytes) -> list[Finding]:
    """feedpub's validator's findings for an RSS or Atom document."""
    from feedpub.validate import validate

    return validate(data)


def entry_counter(tag: str) -> Callable[[Path], int | None]:
    """A count of the ``tag`` elements of a published file; None when there is none."""

    def count_entries(path: Path) -> int | None:
        from feedpub.publish import count_elements

        return count_elements(path, tag)

    return count_entries
