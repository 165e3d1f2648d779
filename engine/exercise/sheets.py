"""Order sheets: a team's orders for one turn, as a YAML file people can fill in by hand.

``redline orders-template`` writes a sheet for a team and the turn to be played: each of
its actors with its budget, its forces and where each may move or attack, and the actions
open to it, all as commented-out orders to uncomment.  ``redline turn`` reads the sheets
back and checks every order against what that actor can see, with the same checks a
player gets in the map view; a mistake is reported like a content error, with the sheet's
file, line and column, and no turn is played while any sheet is wrong.  The map view can
write a sheet too, so a team may use either, or both.

A sheet names its team, its turn and the first digits of the digest of the state it was
written for, so a sheet for another turn, or written before the white cell changed the
game, is refused rather than applied to a game it was not meant for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from engine.content.messages import closest
from engine.content.source import Document, PathKey, format_path, parse_text
from engine.core import Order, OrderCode, Rules, parse_order
from engine.core.events import MessageSent
from engine.core.observation import Observation
from engine.errors import Diagnostic, InvalidOrder
from engine.exercise.teams import Team, normalised
from engine.play.draft import OrderDraft
from engine.play.render import short_number
from engine.runner import Position

STATE_DIGITS = 12
"""How many digits of the state's digest a sheet carries: plenty to tell states apart."""


@dataclass(frozen=True)
class TurnOfGame:
    """What a sheet is written for: the game's id, the turn, and the state it starts from."""

    game: str
    turn: int
    date: str
    state: str


@dataclass
class Sheet:
    """A team's orders read from a sheet, each actor's in the order written."""

    file: str
    team: str
    turn: int
    state: str
    orders: dict[str, list[Order]] = field(default_factory=dict)


@dataclass
class SheetCheck:
    """What reading and checking a sheet found: the sheet (None when it could not be
    used), every problem, each with its line, and the team it says it is from, if any."""

    sheet: Sheet | None
    problems: list[Diagnostic]
    claimed: str = ""
    team_at: tuple[int, int] = (1, 1)
    """The line and column where the sheet names its team."""


# ----------------------------------------------------------------------------- writing


def template(
    rules: Rules,
    team: Team,
    when: TurnOfGame,
    views: Mapping[str, Observation],
    given: Mapping[str, Sequence[Order]] | None = None,
) -> str:
    """The sheet of ``team`` for the turn ``when``: its actors' options as comments, and
    the orders in ``given`` (from the map view) already written in."""
    spec = rules.spec
    lines = [
        f"# Redline order sheet: {team.name}, turn {when.turn} of {spec.turns} ({when.date})",
        f"# Game: {spec.scenario_name} ({when.game})",
        "#",
        "# Give each order on a line of its own under the actor that gives it, as in the",
        "# commented examples: take away the '#' in front of the orders you want, or write",
        "# your own:  - move UNIT AREA  /  - attack AREA with UNIT ...  /  - act ACTION TARGET",
        "# An actor with no orders gives none. Hand the sheet to the white cell: 'redline",
        "# turn' checks it and names the line of any mistake.",
        *_news(team, views),
        "sheet:",
        f"  team: {team.id}",
        f"  turn: {when.turn}",
        f"  state: '{when.state}'",
        "orders:",
    ]
    for actor in team.actors:
        lines += _actor_block(rules, actor, views[actor], (given or {}).get(actor, ()))
    return "\n".join(lines) + "\n"


def _news(team: Team, views: Mapping[str, Observation]) -> list[str]:
    """The news the team's actors read since the last turn (injects among it), as comments."""
    texts: list[str] = []
    for actor in team.actors:
        for event in views[actor].events:
            if isinstance(event, MessageSent) and event.text not in texts:
                texts.append(event.text)
    if not texts:
        return []
    return ["#", "# News since the last turn:", *[f"#   {text}" for text in texts], "#"]


def _actor_block(rules: Rules, actor: str, view: Observation, given: Sequence[Order]) -> list[str]:
    spec = rules.spec
    draft = OrderDraft(rules, view)
    me = spec.actor_by_id[actor]
    lines = [f"  {actor}:"]
    lines += [f"    - {yaml_text(order.text())}" for order in given]
    lines.append(
        f"    # {me.name}: budget {short_number(draft.budget)} (income {short_number(me.income)})"
    )
    mine = [u for u in view.state.units if u.owner == actor]
    if mine:
        lines.append("    # forces, and where each may go:")
    for unit in sorted(mine, key=lambda u: (spec.area_index[u.area], u.id)):
        kind = spec.unit_type_by_id[unit.unit_type].name
        lines.append(f"    #   {unit.id}: {kind} {short_number(unit.strength)} in {unit.area}")
        for area in sorted(draft.destinations(unit.id)):
            lines.append(f"    # - move {unit.id} {area}")
        for area in draft.attack_targets(unit.id):
            lines.append(f"    # - attack {area} with {unit.id}")
    if draft.choices:
        lines.append("    # actions open to it (cost):")
    for order in draft.choices:
        cost = short_number(draft.cost(order))
        lines.append(f"    # - {order.text()}   # {cost}")
    return lines


def yaml_text(text: str) -> str:
    """``text`` as a YAML scalar on one line, quoted only when it must be."""
    return str(yaml.safe_dump(text, default_style=None, width=1000)).split("\n")[0]


# ----------------------------------------------------------------------------- reading


def read_sheet(path: Path) -> tuple[Document | None, list[Diagnostic]]:
    """Parse a sheet file; the problems are those of reading it (YAML, a missing file)."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [Diagnostic("error", name, 0, 0, "", "file not found")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Diagnostic("error", name, 0, 0, "", f"cannot read the sheet: {exc}")]
    document = parse_text(text, name, path)
    return (None if document.diagnostics else document), list(document.diagnostics)


def check_sheet(
    path: Path,
    rules: Rules,
    teams: Mapping[str, Team],
    when: TurnOfGame,
    views: Mapping[str, Observation],
) -> SheetCheck:
    """Read the sheet at ``path`` and check it: its heading against the game and the turn,
    each order as an order, and each against what its actor can see."""
    document, problems = read_sheet(path)
    if document is None:
        return SheetCheck(None, problems)
    checker = _SheetChecker(document)
    heading = checker.heading(teams, when)
    if heading is None:
        return SheetCheck(None, checker.problems, checker.claimed, checker.team_at())
    team, sheet = heading
    checker.orders(sheet, team, rules, views)
    return SheetCheck(sheet, checker.problems, team.id, checker.team_at())


class _SheetChecker:
    """Checks one parsed sheet, collecting every problem with its place in the file."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.file = str(document.path)
        self.problems: list[Diagnostic] = []
        self.claimed = ""
        """The team the sheet names, when it names one of the exercise's."""

    def team_at(self) -> tuple[int, int]:
        mark = self.document.marks.locate(("sheet", "team"))
        return (mark.line, mark.column) if mark.file != "<unknown>" else (1, 1)

    def problem(self, path: PathKey, message: str, hint: str = "") -> None:
        mark = self.document.marks.locate(path)
        line = mark.line if mark.file != "<unknown>" else 1
        column = mark.column if mark.file != "<unknown>" else 1
        self.problems.append(
            Diagnostic("error", self.file, line, column, format_path(path), message, hint)
        )

    def heading(self, teams: Mapping[str, Team], when: TurnOfGame) -> tuple[Team, Sheet] | None:
        data = self.document.data
        if not isinstance(data, dict) or not isinstance(data.get("sheet"), dict):
            self.problem((), "not an order sheet", "it starts with 'sheet:' naming team and turn")
            return None
        head = data["sheet"]
        named, turn, state = head.get("team"), head.get("turn"), head.get("state")
        team_id = normalised(named) if isinstance(named, str) else None
        if team_id is None or team_id not in teams:
            known = ", ".join(t for t, team in teams.items() if team.is_human)
            self.problem(
                ("sheet", "team"), f"no team '{named}' in this exercise", f"teams: {known}"
            )
            return None
        team = teams[team_id]
        self.claimed = team_id
        if not team.is_human:
            self.problem(("sheet", "team"), f"team '{team_id}' is played by the computer")
            return None
        if not isinstance(turn, int) or isinstance(turn, bool):
            self.problem(("sheet", "turn"), f"'turn' must be a turn number, not {turn!r}")
            return None
        if turn != when.turn:
            self.problem(
                ("sheet", "turn"),
                f"this sheet is for turn {turn}, and the game is at turn {when.turn}",
                f"write a new one: redline orders-template SAVE --team {team_id}",
            )
            return None
        if state is None:
            self.problem(
                ("sheet",),
                "the sheet has no 'state': it says which state of the game it was written for",
                f"write a new one: redline orders-template SAVE --team {team_id}",
            )
            return None
        if str(state) != when.state:
            self.problem(
                ("sheet", "state"),
                f"this sheet was written for another state of turn {when.turn} (the white cell "
                "has changed the game since)",
                f"write a new one: redline orders-template SAVE --team {team_id}",
            )
            return None
        return team, Sheet(self.file, team_id, when.turn, when.state)

    def orders(
        self, sheet: Sheet, team: Team, rules: Rules, views: Mapping[str, Observation]
    ) -> None:
        given = self.document.data.get("orders")
        if given is None:
            given = {}
        if not isinstance(given, dict):
            self.problem(("orders",), "'orders' must list orders under each actor")
            return
        for actor, entries in given.items():
            if actor not in team.actors:
                self.problem(
                    ("orders", actor),
                    f"'{actor}' is not on team {team.id}",
                    f"its actors: {', '.join(team.actors)}",
                )
                continue
            sheet.orders[actor] = self._actor_orders(actor, entries, rules, views[actor])

    def _actor_orders(
        self, actor: str, entries: object, rules: Rules, view: Observation
    ) -> list[Order]:
        if entries is None:
            return []
        if not isinstance(entries, list):
            self.problem(("orders", actor), "orders are a list: one '- order' a line")
            return []
        draft = OrderDraft(rules, view)
        for index, entry in enumerate(entries):
            path: PathKey = ("orders", actor, index)
            if not isinstance(entry, str):
                self.problem(path, f"an order is a line of text, not {entry!r}")
                continue
            try:
                order = parse_order(entry, actor)
            except InvalidOrder as exc:
                self.problem(path, f"cannot read the order: {exc}")
                continue
            if order.actor != actor:
                self.problem(path, f"'{entry}' is an order of {order.actor}, under {actor}")
                continue
            result = draft.add(order)
            if not result.ok and result.code in _NAMES_A_THING:
                hint = _guess(rules, order, result.code, view)
                self.problem(
                    path,
                    f"order '{entry}' refused ({result.code.value}): {result.reason}",
                    hint,
                )
            elif not result.ok:
                self.problem(
                    path, f"order '{entry}' refused ({result.code.value}): {result.reason}"
                )
        return list(draft.orders)


_NAMES_A_THING = frozenset(
    {OrderCode.UNKNOWN_AREA, OrderCode.UNKNOWN_UNIT, OrderCode.UNKNOWN_ACTION}
)


def _guess(rules: Rules, order: Order, code: OrderCode, view: Observation) -> str:
    """``did you mean 'mediterranean'?`` for a misspelt area, unit or action."""
    spec = rules.spec
    if code is OrderCode.UNKNOWN_AREA:
        names: Iterable[str] = spec.area_by_id
        wrong = [w for w in order.text().split() if w not in spec.area_by_id]
    elif code is OrderCode.UNKNOWN_UNIT:
        names = [u.id for u in view.state.units if u.owner == order.actor]
        wrong = order.text().split()
    else:
        names = spec.action_by_id
        wrong = order.text().split()[1:2]
    for word in wrong:
        match = closest(word, list(names))
        if match and match != word:
            return f"did you mean '{match}'?"
    return ""


def check_sheets(
    paths: Iterable[Path],
    rules: Rules,
    teams: Mapping[str, Team],
    when: TurnOfGame,
    views: Mapping[str, Observation],
) -> tuple[dict[str, Sheet], list[Diagnostic], set[str]]:
    """Check every sheet; also that each team of people handed in one only.  Returns the
    sheets that can be used, every problem, and the teams some sheet says it is from
    (a team whose sheet is wrong has handed one in all the same)."""
    sheets: dict[str, Sheet] = {}
    problems: list[Diagnostic] = []
    claimed: set[str] = set()
    for path in paths:
        checked = check_sheet(path, rules, teams, when, views)
        problems += checked.problems
        sheet = checked.sheet
        if checked.claimed in claimed:
            first = sheets[checked.claimed].file if checked.claimed in sheets else "another sheet"
            problems.append(
                Diagnostic(
                    "error",
                    str(path),
                    *checked.team_at,
                    "sheet.team",
                    f"team {checked.claimed} already handed in {first}",
                    "give one sheet per team",
                )
            )
            continue
        if checked.claimed:
            claimed.add(checked.claimed)
        if sheet is not None:
            sheets[sheet.team] = sheet
    return sheets, problems, claimed


def missing_teams(teams: Mapping[str, Team], sheets: Mapping[str, Sheet]) -> list[str]:
    """The teams of people whose sheet is not there."""
    return [t.id for t in teams.values() if t.is_human and t.id not in sheets]


def when_of(rules: Rules, game_id: str, position: Position) -> TurnOfGame:
    """The turn ``position`` is at, as sheets name it."""
    state = position.state
    return TurnOfGame(
        game_id,
        state.turn,
        rules.spec.calendar.label(state.turn),
        state.digest()[:STATE_DIGITS],
    )
