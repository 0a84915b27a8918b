"""Which rules a validation reports, and at which level: ``--select``, ``--ignore`` and
``--warn-as-error``, or the ``[validate]`` settings, as ruff selects its rules.

A rule is named by its code (``rss-date``) or by a prefix of codes up to a hyphen
(``rss`` for every ``rss-*`` rule, ``jsonfeed-date`` for ``jsonfeed-date`` and any
``jsonfeed-date-*``). A name that names no rule is an error, with the nearest code.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from feedpub.validate.findings import Finding
from feedpub.validate.rules import RULES


def codes_named(name: str) -> frozenset[str]:
    """The codes of the rules ``name`` names; ValueError, with a suggestion, for none."""
    name = name.strip()
    found = frozenset(code for code in RULES if code == name or code.startswith(f"{name}-"))
    if not found:
        import difflib  # only for a usage error: a validation need not import it

        close = difflib.get_close_matches(name, RULES, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"no rule is named {name!r}{hint}")
    return found


def split_names(values: Iterable[str]) -> tuple[str, ...]:
    """Rule names given as flags, each once or several times, comma-separated."""
    return tuple(name.strip() for value in values for name in value.split(",") if name.strip())


@dataclass(frozen=True, slots=True)
class RuleSelection:
    """The rules to report and the warnings to report as errors, by name."""

    select: tuple[str, ...] | None = None
    """The rules to report; None: every one."""
    ignore: tuple[str, ...] = ()
    """Rules not to report, among those selected."""
    warn_as_error: tuple[str, ...] = ()
    """Rules whose warnings are errors."""

    def __post_init__(self) -> None:
        for names in (self.select or (), self.ignore, self.warn_as_error):
            for name in names:
                codes_named(name)  # raises ValueError for a name of no rule

    def apply(self, findings: Iterable[Finding]) -> list[Finding]:
        """``findings`` without those of rules not reported, warnings of the rules
        named so as errors, in the order given."""
        reported = set(RULES) if self.select is None else _codes(self.select)
        reported -= _codes(self.ignore)
        stricter = _codes(self.warn_as_error)
        return [
            dataclasses.replace(finding, level="error")
            if finding.code in stricter and finding.level == "warning"
            else finding
            for finding in findings
            if finding.code in reported
        ]


def _codes(names: Iterable[str]) -> set[str]:
    return {code for name in names for code in codes_named(name)}
