"""Compile the condition and effect vocabulary once into closures over a :class:`Board`.

Compilation resolves everything that does not depend on the moment (which comparison,
which track slot, which filter) so that evaluation in the turn loop is a few attribute
reads and comparisons.  Context tokens (``$self``, ``$target``, ``$theater``) are looked up
in the :class:`Context` passed at evaluation time.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, replace

from engine.core import language as lang
from engine.core.board import Board
from engine.core.coalitions import alignment
from engine.core.events import Event, UnitMoved
from engine.core.spec import GameSpec
from engine.core.state import Unit


@dataclass(frozen=True, slots=True)
class Context:
    """Who is acting and on what, for the context tokens of the vocabulary."""

    actor: str = ""
    target: str = ""
    theater: str = ""
    cause: str = ""
    scale: float = 1.0
    """Multiplies track adjustments: a joint operation's mass less its coordination cost."""
    member: str = ""
    """The coalition member an ``each_member`` effect is being applied for."""


Predicate = Callable[[Board, Context], bool]
Applier = Callable[[Board, Context], None]
Resolver = Callable[[Context], str]
Tally = tuple[int, float]
"""How many units, and their total strength."""

_OPERATORS: dict[str, Callable[[float, float], bool]] = {
    "lt": operator.lt,
    "le": operator.le,
    "eq": operator.eq,
    "ne": operator.ne,
    "ge": operator.ge,
    "gt": operator.gt,
}


def resolver(name: str) -> Resolver:
    """A function giving the id that ``name`` stands for in a context."""
    field = _TOKEN_FIELDS.get(name)
    if field is not None:
        return operator.attrgetter(field)
    return lambda ctx: name


_TOKEN_FIELDS = {"$self": "actor", "$target": "target", "$theater": "theater", "$member": "member"}
"""The context field each token stands for."""


def comparer(compare: lang.Compare) -> Callable[[float], bool]:
    op = _OPERATORS[compare.op]
    threshold = compare.threshold
    return lambda value: op(value, threshold)


def unit_filter(
    spec: GameSpec,
    *,
    actor: str = "",
    side: str = "",
    unit_type: str = "",
    area: str = "",
    theater: str = "",
) -> Callable[[Unit, Context], bool]:
    """A predicate selecting units by owner, owner's side, type, area and theater."""
    actor_of = resolver(actor) if actor else None
    area_of = resolver(area) if area else None
    theater_of = resolver(theater) if theater else None
    actors = spec.actor_by_id
    areas = spec.area_by_id

    def matches(unit: Unit, ctx: Context) -> bool:
        if actor_of is not None and unit.owner != actor_of(ctx):
            return False
        if side and actors[unit.owner].side != side:
            return False
        if unit_type and unit.unit_type != unit_type:
            return False
        if area_of is not None and unit.area != area_of(ctx):
            return False
        return theater_of is None or areas[unit.area].theater == theater_of(ctx)

    return matches


def filter_of(
    spec: GameSpec, node: lang.UnitsIn | lang.RemoveUnits | lang.MoveUnits
) -> Callable[[Unit, Context], bool]:
    """The unit filter a condition or effect describes with its five selector fields."""
    return unit_filter(
        spec,
        actor=node.actor,
        side=node.side,
        unit_type=node.unit_type,
        area=node.area,
        theater=node.theater,
    )


def unit_tally(spec: GameSpec, cond: lang.UnitsIn) -> Callable[[Board, Context], Tally]:
    """How many units a ``units`` condition selects, and their total strength.

    The search starts from the narrowest list the board keeps (an area's units, an
    actor's, a side's, or all) in the board's order, and applies only the tests that list
    does not already settle, so a count of an actor's units is the length of a list.  The
    answer is kept on the board, keyed by the condition and the ids its tokens stood for,
    until a unit changes.
    """
    actor_of = resolver(cond.actor) if cond.actor else None
    area_of = resolver(cond.area) if cond.area else None
    theater_of = resolver(cond.theater) if cond.theater else None
    side, unit_type = cond.side, cond.unit_type
    side_members = tuple(a.id for a in spec.actors if a.side == side)
    actors, areas = spec.actor_by_id, spec.area_by_id

    def select(board: Board, ctx: Context) -> Sequence[Unit]:
        actor = actor_of(ctx) if actor_of is not None else ""
        if side and actor_of is not None and actor not in side_members:
            return ()
        chosen: Iterable[Unit]
        if area_of is not None:
            chosen = board.units_in(area_of(ctx))
            if actor_of is not None:
                chosen = [u for u in chosen if u.owner == actor]
            elif side:
                chosen = [u for u in chosen if actors[u.owner].side == side]
        elif actor_of is not None:
            chosen = board.units_of(actor)
        elif side:
            chosen = [u for a in side_members for u in board.units_of(a)]
        else:
            chosen = board.units.values()
        if unit_type:
            chosen = [u for u in chosen if u.unit_type == unit_type]
        if theater_of is not None:
            theater = theater_of(ctx)
            chosen = [u for u in chosen if areas[u.area].theater == theater]
        return chosen if isinstance(chosen, Sequence) else tuple(chosen)

    tokens = tuple(token for token in (actor_of, area_of, theater_of) if token is not None)
    key_of = _key_maker(select, tokens)

    def tally(board: Board, ctx: Context) -> Tally:
        key = key_of(ctx)
        found = board.tallies.get(key)
        if found is None:
            chosen = select(board, ctx)
            found = board.tallies[key] = (len(chosen), sum(u.strength for u in chosen))
        return found

    return tally


def _key_maker(marker: Hashable, tokens: tuple[Resolver, ...]) -> Callable[[Context], Hashable]:
    """A function giving ``(marker, *ids the tokens stand for)`` (one token is the case a
    precondition on its target makes, and the commonest)."""
    if len(tokens) == 1:
        (token,) = tokens
        return lambda ctx: (marker, token(ctx))
    return lambda ctx: (marker, *(token(ctx) for token in tokens))


def _all_of(parts: tuple[Predicate, ...]) -> Predicate:
    """``all`` of the parts, left to right, stopping at the first that fails (written out
    for one and two parts: preconditions are evaluated thousands of times a game)."""
    if not parts:
        return lambda board, ctx: True
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        first, second = parts
        return lambda board, ctx: first(board, ctx) and second(board, ctx)

    def every(board: Board, ctx: Context) -> bool:
        for part in parts:  # noqa: SIM110 (a loop makes no generator per evaluation)
            if not part(board, ctx):
                return False
        return True

    return every


def _any_of(parts: tuple[Predicate, ...]) -> Predicate:
    """``any`` of the parts, left to right, stopping at the first that holds."""
    if len(parts) == 1:
        return parts[0]

    def some(board: Board, ctx: Context) -> bool:
        for part in parts:  # noqa: SIM110 (a loop makes no generator per evaluation)
            if part(board, ctx):
                return True
        return False

    return some


def compile_condition(spec: GameSpec, cond: lang.Condition) -> Predicate:
    """Turn a condition into a predicate.  Evaluating it never changes the board."""
    match cond:
        case lang.All(items=items):
            return _all_of(tuple(compile_condition(spec, item) for item in items))
        case lang.Any_(items=items):
            return _any_of(tuple(compile_condition(spec, item) for item in items))
        case lang.Not(item=item):
            inner = compile_condition(spec, item)
            return lambda board, ctx: not inner(board, ctx)
        case lang.TrackIs(track=track, scope=scope, compare=compare):
            scope_of = resolver(scope)
            test = comparer(compare)
            return lambda board, ctx: test(board.track(track, scope_of(ctx)))
        case lang.UnitsIn():
            tally = unit_tally(spec, cond)
            test = comparer(cond.compare)
            measured = 0 if cond.measure == "count" else 1
            return lambda board, ctx: test(tally(board, ctx)[measured])
        case lang.Controls(area=area, actor=actor, side=side):
            area_of = resolver(area)
            if actor:
                actor_of = resolver(actor)
                return lambda board, ctx: board.controller(area_of(ctx)) == actor_of(ctx)
            actors = spec.actor_by_id

            def side_controls(board: Board, ctx: Context) -> bool:
                holder = board.controller(area_of(ctx))
                return bool(holder) and actors[holder].side == side

            return side_controls
        case lang.FlagIs(flag=flag, is_set=is_set):
            return lambda board, ctx: (flag in board.flags) == is_set
        case lang.TurnIs(compare=compare):
            test = comparer(compare)
            return lambda board, ctx: test(board.turn)
        case lang.BudgetIs(actor=actor, compare=compare):
            actor_of = resolver(actor)
            test = comparer(compare)
            return lambda board, ctx: test(board.budget(actor_of(ctx)))
        case lang.RungIs(theater=theater, compare=compare):
            theater_of = resolver(theater)
            test = comparer(compare)
            return lambda board, ctx: test(board.rung(theater_of(ctx)))
        case lang.Happened():
            return _compile_happened(spec, cond)
        case lang.Chance(p=p):
            return lambda board, ctx: board.rng.chance(p)
        case lang.MemberOf(actor=actor, coalition=coalition):
            actor_of = resolver(actor)
            members = frozenset(spec.coalition_by_id[coalition].members)
            return lambda board, ctx: actor_of(ctx) in members
        case lang.RedLineIs(red_line=red_line, status=status):
            line_of = resolver(red_line)
            return lambda board, ctx: board.red_line(line_of(ctx)).status == status
    raise TypeError(f"not a condition: {cond!r}")


def event_field(spec: GameSpec, event: Event, name: str) -> str:
    """A field of an event as text, with two derived ones: ``side`` and ``area`` entered."""
    if name == "side":
        who = str(getattr(event, "actor", "") or getattr(event, "owner", ""))
        return spec.actor_by_id[who].side if who in spec.actor_by_id else ""
    if name == "area" and isinstance(event, UnitMoved):
        return event.path[-1]
    return str(getattr(event, name, ""))


EVENT_ALIASES = {"area_entered": "unit_moved"}
"""Names a ``happened`` condition may use for an event kind, besides the kinds themselves."""


def _compile_happened(spec: GameSpec, cond: lang.Happened) -> Predicate:
    kind = EVENT_ALIASES.get(cond.kind, cond.kind)
    wanted = tuple((name, resolver(value)) for name, value in cond.match)

    def happened(board: Board, ctx: Context) -> bool:
        return any(
            event.kind == kind
            and all(event_field(spec, event, name) == value(ctx) for name, value in wanted)
            for event in board.events
        )

    return happened


def can_stand(spec: GameSpec, unit_type: str, area: str) -> bool:
    """Whether a unit of this type may be in ``area`` at all: off-map boxes hold anything."""
    target = spec.area_by_id[area]
    rule = spec.movement_by_domain.get(spec.unit_type_by_id[unit_type].domain)
    return target.offmap or rule is None or target.kind in rule.area_kinds


def _matching_units(
    board: Board, select: Callable[[Unit, Context], bool], ctx: Context, count: int
) -> list[Unit]:
    chosen = sorted(u for u in board.units.values() if select(u, ctx))
    return chosen[:count] if count else chosen


def compile_effect(spec: GameSpec, effect: lang.Effect) -> Applier:
    """Turn an effect into a function that applies it to a board, recording events."""
    match effect:
        case lang.AdjustTrack(track=track, scope=scope, by=by, weight="alignment"):
            scope_of = resolver(scope)
            return lambda board, ctx: board.adjust_track(
                track,
                scope_of(ctx),
                by * ctx.scale * alignment(spec, ctx.actor, ctx.member),
                ctx.cause,
            )
        case lang.AdjustTrack(track=track, scope=scope, by=by):
            scope_of = resolver(scope)
            return lambda board, ctx: board.adjust_track(
                track, scope_of(ctx), by * ctx.scale, ctx.cause
            )
        case lang.SetTrack(track=track, scope=scope, to=target):
            scope_of = resolver(scope)
            return lambda board, ctx: board.set_track(track, scope_of(ctx), target, ctx.cause)
        case lang.SetFlag(flag=flag, is_set=is_set):
            return lambda board, ctx: board.set_flag(flag, is_set, ctx.cause)
        case lang.AdjustBudget(actor=actor, by=by):
            actor_of = resolver(actor)
            return lambda board, ctx: board.adjust_budget(actor_of(ctx), by, ctx.cause)
        case lang.AddUnit(unit_type=unit_type, owner=owner, area=area, strength=strength):
            owner_of, area_of = resolver(owner), resolver(area)
            full = spec.unit_type_by_id[unit_type].strength if strength is None else strength

            def add(board: Board, ctx: Context) -> None:
                board.add_unit(unit_type, owner_of(ctx), area_of(ctx), full, ctx.cause)

            return add
        case lang.RemoveUnits(count=count):
            select = filter_of(spec, effect)

            def remove(board: Board, ctx: Context) -> None:
                for unit in _matching_units(board, select, ctx, count):
                    board.remove_unit(unit.id, ctx.cause)

            return remove
        case lang.MoveUnits(to=to, count=count):
            matches = filter_of(spec, effect)
            to_of = resolver(to)

            def select(unit: Unit, ctx: Context) -> bool:
                return matches(unit, ctx) and can_stand(spec, unit.unit_type, to_of(ctx))

            def relocate(board: Board, ctx: Context) -> None:
                for unit in _matching_units(board, select, ctx, count):
                    board.relocate_unit(unit.id, to_of(ctx), ctx.cause)

            return relocate
        case lang.SetControl(area=area, actor=actor):
            area_of, actor_of = resolver(area), resolver(actor)
            return lambda board, ctx: board.set_control(area_of(ctx), actor_of(ctx), ctx.cause)
        case lang.Message(to=to, text=text):
            to_of = resolver(to)
            return lambda board, ctx: board.message(to_of(ctx), text, ctx.cause)
        case lang.EndGame(reason=reason):
            return lambda board, ctx: board.end_game(reason, ctx.cause)
        case lang.Escalate(theater=theater, by=by, to=to_rung):
            theater_of = resolver(theater)
            if to_rung is not None:
                return lambda board, ctx: board.set_rung(theater_of(ctx), to_rung, ctx.cause)
            return lambda board, ctx: board.set_rung(
                theater_of(ctx), board.rung(theater_of(ctx)) + by, ctx.cause
            )
        case lang.DeclareRedLine(red_line=red_line):
            line_of = resolver(red_line)
            return lambda board, ctx: declare_red_line(board, line_of(ctx), ctx.cause)
        case lang.RetireRedLine(red_line=red_line):
            line_of = resolver(red_line)
            return lambda board, ctx: retire_red_line(board, line_of(ctx), ctx.cause)
        case lang.Fire(name=name):
            return lambda board, ctx: board.raise_event(name, ctx.cause)
        case lang.EachMember(coalition=coalition, effects=effects):
            coalition_of = resolver(coalition)
            inner = compile_effects(spec, effects)
            coalitions = spec.coalition_by_id

            def each_member(board: Board, ctx: Context) -> None:
                for member in coalitions[coalition_of(ctx)].members:
                    inner(board, replace(ctx, member=member))

            return each_member
    raise TypeError(f"not an effect: {effect!r}")


def declare_red_line(board: Board, red_line: str, cause: str) -> None:
    """Arm a red line that is not live (never declared, or retired, expired or settled)."""
    if board.red_line(red_line).status not in ("armed", "crossed"):
        board.set_red_line(
            red_line, "armed", board.spec.red_line_by_id[red_line].declared_by, cause
        )


def retire_red_line(board: Board, red_line: str, cause: str) -> None:
    """Withdraw a red line that is armed; one already crossed must be enforced or fail."""
    if board.red_line(red_line).status == "armed":
        board.set_red_line(
            red_line, "retired", board.spec.red_line_by_id[red_line].declared_by, cause
        )


def compile_effects(spec: GameSpec, effects: tuple[lang.Effect, ...]) -> Applier:
    parts = tuple(compile_effect(spec, effect) for effect in effects)

    def apply_all(board: Board, ctx: Context) -> None:
        for part in parts:
            part(board, ctx)

    return apply_all
