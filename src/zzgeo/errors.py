"""Exceptions raised by zzgeo.

Every error a user can cause derives from :class:`ZzgeoError`; its message says what is
wrong, where, and what is accepted, so callers (the CLI, the app) show it as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from zzgeo.messages import Text

if TYPE_CHECKING:  # pragma: no cover
    from typing import Self


class ZzgeoError(Exception):
    """Base class of errors a user can act on.

    ``message`` is the error's :class:`zzgeo.messages.Text`: made from a plain string it is
    known in English only, and :meth:`text` then shows the English in every language (the
    rule of :meth:`zzgeo.messages.Text.get`). ``str(error)`` is the English message.
    """

    message: Text

    def __init__(self, message: str | Text = "", *args: object) -> None:
        self.message = message if isinstance(message, Text) else Text(en=str(message))
        super().__init__(self.message.en, *args)

    @classmethod
    def of(cls, message: Text) -> Self:
        """The error with a :class:`zzgeo.messages.Text` message (English and Chinese)."""
        return cls(message)

    def text(self, lang: str) -> str:
        """The message in ``lang`` (:meth:`zzgeo.messages.Text.get`)."""
        return self.message.get(lang)


class UnknownKeyError(ZzgeoError, KeyError):
    """A key (layer kind, indicator, ...) that is not in a registry."""

    def __init__(self, what: str, key: object, valid: Sequence[str]) -> None:
        self.key = key
        self.valid = tuple(valid)
        super().__init__(f"unknown {what} {key!r}; valid: {', '.join(self.valid)}")

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


class DataError(ZzgeoError, ValueError):
    """A data file is missing, unreadable or inconsistent."""


@dataclass(frozen=True)
class Problem:
    """One problem found in input data.

    ``message`` is its :class:`zzgeo.messages.Text` (English and Chinese; :meth:`text`
    picks one); ``row`` is 1-based, counting data rows after the header (None for file-level
    problems); ``severity`` is ``"error"`` (the row cannot be used) or ``"warning"``.
    """

    message: Text
    row: int | None = None
    column: str | None = None
    value: object = None
    severity: str = "error"
    file: str | None = None

    @classmethod
    def of(
        cls,
        message: Text,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        severity: str = "error",
        file: str | None = None,
    ) -> Problem:
        """A problem worded by :func:`zzgeo.messages.text` (the same as ``Problem(message, ...)``)."""
        return cls(message, row, column, value, severity, file)

    def text(self, lang: str) -> str:
        """The message in ``lang`` (:meth:`zzgeo.messages.Text.get`)."""
        return self.message.get(lang)

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message.en}" if prefix else self.message.en


class ValidationError(ZzgeoError, ValueError):
    """Input data break the rules of a layer kind; ``problems`` lists every one."""

    def __init__(self, problems: Sequence[Problem], summary: str | None = None) -> None:
        self.problems = tuple(problems)
        head = summary or f"{len(self.problems)} problem(s) found"
        lines = [head, *(f"- {p}" for p in self.problems[:50])]
        if len(self.problems) > 50:
            lines.append(f"... and {len(self.problems) - 50} more")
        super().__init__("\n".join(lines))
