"""White-cell controls written as data: check them against a game and compile them.

A facilitator's override is written in the rules language, as a trigger's effects are in
a scenario (``- adjust: credibility, scope: europe, by: -5``); an inject names one of the
game's triggers.  Both are checked like content, so a mistyped id is refused with the same
kind of message as in a scenario file, before anything is applied.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import TypeAdapter, ValidationError

from engine.content import schema as s
from engine.content.build import Translator
from engine.content.loader import LoadedGame
from engine.content.messages import closest
from engine.content.references import ReferenceChecker
from engine.content.source import Marks
from engine.core.control import Control, Inject, Override
from engine.errors import ContentError, Diagnostic

_EFFECTS: TypeAdapter[list[s.Effect]] = TypeAdapter(list[s.Effect])


def _problem(where: str, message: str, hint: str = "", path: str = "") -> ContentError:
    return ContentError([Diagnostic("error", where, 0, 0, path, message, hint)])


def compile_inject(game: LoadedGame, trigger: str, reason: str, where: str) -> Inject:
    """An inject of ``trigger``, or ``ContentError`` when the game has no such trigger."""
    if not reason.strip():
        raise _problem(where, "an inject needs a reason", "say why it is fired now")
    known = [t.id for t in game.spec.triggers]
    if trigger not in known:
        match = closest(trigger, known)
        raise _problem(
            where,
            f"no trigger '{trigger}' to inject",
            f"did you mean '{match}'?" if match else "injects name a trigger of the scenario",
        )
    return Inject(trigger, reason)


def compile_override(
    game: LoadedGame, effects: Sequence[Mapping[str, Any]], reason: str, where: str
) -> Override:
    """An override applying ``effects``, checked like a trigger's effects in a scenario."""
    if not reason.strip():
        raise _problem(where, "an override needs a reason", "say why the result is changed")
    try:
        json.dumps([dict(e) for e in effects], allow_nan=False)
    except (TypeError, ValueError):
        raise _problem(
            where,
            "an effect holds something other than text, finite numbers, lists and mappings",
            "write plain values: no tags, no .nan or .inf",
        ) from None
    try:
        models = _EFFECTS.validate_python([dict(e) for e in effects])
    except ValidationError as exc:
        first = exc.errors()[0]
        path = "override" + "".join(
            f"[{p}]" if isinstance(p, int) else f".{p}" for p in first["loc"]
        )
        raise _problem(where, str(first["msg"]), path=path) from None
    try:
        json.dumps([m.model_dump() for m in models], allow_nan=False)
    except ValueError:
        raise _problem(
            where, "an effect's number is not finite", "write a number such as -5 or 2.5"
        ) from None
    checker = ReferenceChecker(game.ruleset, Marks(), game.scenario, Marks())
    checker.rule(Marks(), ("override",), models, None)
    errors = [d for d in checker.diagnostics if d.severity == "error"]
    if errors:
        raise ContentError(
            [Diagnostic("error", where, 0, 0, d.path, d.message, d.hint) for d in errors]
        )
    return Override(Translator(game.ruleset, game.scenario).effects(list(models)), reason)


def compile_control(
    game: LoadedGame,
    kind: str,
    reason: str,
    trigger: str,
    effects: Sequence[Mapping[str, Any]],
    where: str,
) -> Control:
    if kind == "inject":
        return compile_inject(game, trigger, reason, where)
    return compile_override(game, effects, reason, where)
