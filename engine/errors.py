"""The errors Redline raises, one class per kind of failure.

Content mistakes are collected into a :class:`ContentError` (all of them, each with a
location and a hint).  Orders fail in two distinct ways, as in python-chess: an
:class:`InvalidOrder` cannot even be read, an :class:`IllegalOrder` is well formed but
against the rules.  During play a rejected order is data (an ``OrderResult``); these
exceptions are for callers that want to stop at the first problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a content file, located as precisely as the YAML allows."""

    severity: Severity
    file: str
    line: int
    column: int
    path: str
    message: str
    hint: str = ""

    def format(self) -> str:
        """Render like a compiler: ``file:line:col: error: at path: message (hint)``; without
        a line (a missing file, a control given on the spot) just ``file: error: ...``."""
        where = f" at {self.path}:" if self.path else ""
        hint = f"\n    hint: {self.hint}" if self.hint else ""
        place = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return f"{place}: {self.severity}:{where} {self.message}{hint}"


class RedlineError(Exception):
    """Base class of every error Redline reports to a user."""


class ContentError(RedlineError):
    """A ruleset or scenario has errors; ``diagnostics`` holds every one found."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        errors = [d for d in self.diagnostics if d.severity == "error"]
        super().__init__("\n".join(d.format() for d in errors) or "content error")


class InvalidOrder(RedlineError, ValueError):
    """An order that cannot be parsed: wrong shape, unknown verb, missing operand."""


class IllegalOrder(RedlineError, ValueError):
    """A well-formed order that the rules forbid in the current state."""

    def __init__(self, code: str, reason: str) -> None:
        self.code = code
        self.reason = reason
        super().__init__(f"{code}: {reason}")


class ReplayMismatch(RedlineError):
    """A replayed game diverged from what was recorded when it was played."""

    def __init__(self, turn: int, detail: str) -> None:
        self.turn = turn
        self.detail = detail
        where = f"turn {turn}" if turn else "the opening controls"
        super().__init__(f"the replay diverges at {where}: {detail}")


class SaveError(RedlineError):
    """A saved game that cannot be read or written: ``problem`` says why, in a sentence."""

    def __init__(self, file: object, problem: str) -> None:
        self.file = str(file)
        self.problem = problem
        super().__init__(f"{self.file}: {problem}")
