"""Solo play at the terminal: a person gives one actor's orders, the computer plays the rest.

:class:`TerminalPlayer` is the person's :class:`~engine.ai.bot.Bot`.  Its ``decide`` shows
the actor's observation (never the full state: the same view a computer player is given),
numbers the actions open to it, and reads orders until the player ends the turn.  Every
order is checked as it is typed, against the actor's belief state, with the
:class:`~engine.core.legality.OrderChecker` the adjudicator uses, so that one unit is not
ordered twice and the budget is kept; a malformed or illegal order is explained and the
player asked again.  :func:`play_solo` seats it in :func:`~engine.runner.play_game` beside
the computer players, so the game loop is the one every headless game uses.

Input comes from any ``read_line(prompt)`` callable that raises ``EOFError`` when input
ends, so a pipe serves as well as a keyboard (:func:`stdin_reader` picks the right one).
Quitting, the end of input and Ctrl-C stop the game through
:class:`~engine.runner.StopGame`; the caller saves what was played.
"""

from __future__ import annotations

import contextlib
import difflib
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from engine.ai.bot import Bot, Decision
from engine.core import (
    GameState,
    Move,
    Order,
    OrderResult,
    Rules,
    TakeAction,
    parse_order,
)
from engine.core.observation import Observation, observe, visible_red_lines
from engine.core.rng import Rng
from engine.core.spec import GameSpec
from engine.core.state import Unit
from engine.errors import InvalidOrder
from engine.play.draft import OrderDraft
from engine.play.render import (
    area_label,
    area_totals,
    group_by_action,
    print_all_tracks,
    print_events,
    print_tracks,
    red_line_status,
    say,
    short_number,
    strength_summary,
    units_by_area,
    wrap_items,
)
from engine.runner import GameRecord, Position, StopGame, TurnRecord, play_game

ReadLine = Callable[[str], str]
"""Shows a prompt and returns the line typed; raises ``EOFError`` when input has ended."""

HOSTILE_LISTED = 24
"""Up to this many hostile units in sight are listed one by one; beyond, area by area."""

COMMANDS = {
    "help": "show how to give orders and every command",
    "list": "show the numbered actions again",
    "status": "show the whole turn screen again",
    "forces": "list every unit in sight, one a line",
    "moves": "moves UNIT: where that unit can move and what it can attack",
    "about": "about N (or about ACTION): what an action does and what it needs",
    "tracks": "every track you can see",
    "events": "everything you saw happen last turn",
    "orders": "this turn's orders so far",
    "undo": "drop the last order of this turn",
    "end": "end the turn: every side's orders are carried out together",
    "quit": "stop the game and save it",
}
ALIASES = {
    "?": "help",
    "h": "help",
    "ls": "list",
    "actions": "list",
    "done": "end",
    "exit": "quit",
    "q": "quit",
    "look": "status",
    "log": "events",
}


def stdin_reader(console: Console, stream: TextIO | None = None) -> ReadLine:
    """Read lines from ``stream`` (stdin): with line editing at a terminal; from a pipe,
    echoing each line after its prompt so that the transcript reads like a session."""
    source = stream or sys.stdin
    if source is sys.stdin and source.isatty():
        with contextlib.suppress(ImportError):  # not every platform has it
            import readline  # noqa: F401  (gives input() editing and history)

        def ask(prompt: str) -> str:
            try:
                return input(prompt)
            except EOFError:  # Ctrl-D: end the prompt's line before whatever comes next
                console.print()
                raise

        return ask

    def read(prompt: str) -> str:
        console.print(prompt, end="", markup=False, highlight=False, soft_wrap=True)
        line = source.readline()
        if not line:
            console.print()
            raise EOFError
        console.print(line.rstrip("\r\n"), markup=False, highlight=False, soft_wrap=True)
        return line

    return read


def play_solo(
    rules: Rules,
    bots: Mapping[str, Bot],
    actor: str,
    console: Console,
    read_line: ReadLine | None = None,
    seed: int | None = None,
    start: Position | None = None,
    on_turn: Callable[[TurnRecord, GameState], None] | None = None,
) -> GameRecord:
    """Play a game with a person at the terminal as ``actor`` and ``bots`` for the others,
    from the start or from ``start`` (a resumed save); ``on_turn`` sees every turn played
    (to save it).

    Returns the record of the turns played: all of them, or those before the player quit
    (the record's ``stopped`` says why).
    """
    spec = rules.spec
    player = TerminalPlayer(actor, console, read_line or stdin_reader(console))
    seats: dict[str, Bot] = {**bots, actor: player}
    _introduce(console, spec, actor, seats)

    def turn_played(record: TurnRecord, state: GameState) -> None:
        player.note_turn(record, state)
        if on_turn is not None:
            on_turn(record, state)

    record = play_game(rules, seats, seed=seed, on_turn=turn_played, start=start)
    if record.stopped:
        played = len(record.turns)
        console.print(
            f"\nGame stopped ({escape(record.stopped)}) before turn {record.final.turn} was "
            f"played; {played} turn{'s' * (played != 1)} played.",
        )
    else:
        last = record.turns[-1] if record.turns else None
        console.rule(f"[bold]Game over[/bold] after turn {last.turn if last else 0}")
        if last is not None:
            console.print(f"[bold]Last turn[/bold] (turn {last.turn}, {last.date})")
            seen = observe(spec, record.final, actor, last.events)
            print_events(
                console,
                spec,
                actor,
                seen.events,
                everything=False,
                more="the saved game has every event",
            )
        console.print("[bold]Where it ended[/bold]")
        view = observe(spec, record.final, actor)
        print_tracks(console, spec, actor, view.state, player.previous)
    return record


def _introduce(console: Console, spec: GameSpec, actor: str, seats: Mapping[str, Bot]) -> None:
    me = spec.actor_by_id[actor]
    allies = [a.id for a in spec.actors if a.side == me.side and a.id != actor]
    rivals = [a.id for a in spec.actors if spec.are_hostile(actor, a.id)]
    computer: dict[str, list[str]] = {}
    for other, bot in seats.items():
        if other != actor:
            computer.setdefault(bot.name, []).append(other)
    console.rule(f"[bold]{escape(spec.scenario_name)}[/bold]")
    console.print(
        f"You play [bold]{escape(me.name)}[/bold] ({actor}), for "
        f"{escape(spec.side_by_id[me.side].name)}, for {spec.turns} turns.",
    )
    if allies:
        console.print(f"Allies: {', '.join(allies)}.", markup=False)
    if rivals:
        console.print(f"Opponents: {', '.join(rivals)}.", markup=False)
    console.print(
        "The computer plays every other actor ("
        + "; ".join(f"{name}: {', '.join(who)}" for name, who in sorted(computer.items()))
        + "). Orders are simultaneous: what you order happens when you type 'end', "
        "together with everyone else's orders. Type 'help' at any time.",
        markup=False,
    )


@dataclass
class TerminalPlayer:
    """The person at the terminal, as the :class:`~engine.ai.bot.Bot` of one actor."""

    actor: str
    console: Console
    read_line: ReadLine
    name: str = "human"
    previous: GameState | None = None
    """The belief state of the previous turn, to show what changed since."""
    last_record: TurnRecord | None = None

    def note_turn(self, record: TurnRecord, state: GameState) -> None:
        """``play_game``'s ``on_turn``: keep the turn just played for the next screen."""
        self.last_record = record

    def decide(self, observation: Observation, rules: Rules, rng: Rng) -> Decision:
        turn = _Turn(self, rules, observation)
        turn.show_screen()
        while True:
            try:
                line = self.read_line(turn.prompt())
            except EOFError:
                raise StopGame("end of input") from None
            except KeyboardInterrupt:
                self.console.print()
                raise StopGame("interrupted") from None
            if turn.handle(line):
                break
        self.previous = observation.state
        count = len(turn.orders)
        self.console.print(
            f"Turn {observation.turn} ends with {count} order{'s' * (count != 1)}; "
            "the computer players give theirs and the turn is played.",
        )
        return Decision(tuple(turn.orders))


class _Turn(OrderDraft):
    """One turn at the terminal: what the actor sees, and its orders as they are given."""

    def __init__(self, player: TerminalPlayer, rules: Rules, observation: Observation) -> None:
        super().__init__(rules, observation)
        self.player = player
        self.console = player.console

    # ------------------------------------------------------------------ orders

    def prompt(self) -> str:
        return f"[turn {self.state.turn} · {self.actor} · budget {short_number(self.left)} left] > "

    def handle(self, line: str) -> bool:
        """Act on one line of input; True when the player ends the turn."""
        text = line.strip().lower()
        words = text.split()
        if not words:
            return False
        head = ALIASES.get(words[0], words[0])
        if head.isdigit() and len(words) == 1:
            self.take_choice(int(head))
        elif head == "end":
            return True
        elif head == "quit":
            raise StopGame("quit")
        elif head == "help":
            self.show_help()
        elif head == "list":
            self.show_actions()
        elif head == "status":
            self.show_screen()
        elif head == "forces":
            self.show_all_forces()
        elif head == "moves":
            self.show_moves(words[1:])
        elif head == "about":
            self.show_about(words[1:])
        elif head == "tracks":
            print_all_tracks(self.console, self.spec, self.actor, self.state)
        elif head == "events":
            print_events(
                self.console, self.spec, self.actor, self.observation.events, everything=True
            )
        elif head == "orders":
            self.show_orders()
        elif head == "undo":
            self.undo()
        elif head in ("move", "attack", "act") or ":" in head:
            self.give_text(text)
        else:
            self.unknown(words[0])
        return False

    def give_text(self, text: str) -> None:
        try:
            order = parse_order(text, self.actor)
        except InvalidOrder as exc:
            self._refuse(f"cannot read that order: {exc}")
            return
        if order.actor != self.actor:
            self._refuse(f"you play {self.actor}: orders for {order.actor} are not yours to give")
            return
        self.give(order)

    def take_choice(self, number: int) -> None:
        if not self.choices:
            self._refuse(
                "no action is open to you this turn; move or attack with your units, or type 'end'"
            )
        elif not 1 <= number <= len(self.choices):
            self._refuse(
                f"there is no action {number}: the actions are numbered 1 to "
                f"{len(self.choices)} (type 'list' to see them)"
            )
        else:
            self.give(self.choices[number - 1])

    def give(self, order: Order) -> None:
        result = self.add(order)
        if not result.ok:
            self._refuse(f"{result.code.value}: {result.reason}")
            return
        say(
            self.console,
            f"[green]ordered[/green] {escape(self._describe(result, True))}",
            markup=True,
        )

    def undo(self) -> None:
        if not self.orders:
            self.console.print("  there is no order to undo this turn")
            return
        dropped = self.remove(-1)
        say(self.console, f"dropped {dropped.text()}; budget {short_number(self.left)} left")

    def unknown(self, word: str) -> None:
        guess = difflib.get_close_matches(word, [*COMMANDS, "move", "attack", "act"], n=1)
        hint = f"; did you mean '{guess[0]}'?" if guess else ""
        self._refuse(
            f"'{word}' is neither an order nor a command{hint} Type a number from the list, "
            "an order (move, attack, act) or 'help'"
        )

    def _refuse(self, reason: str) -> None:
        say(self.console, f"[red]rejected[/red] {escape(reason)}", markup=True)
        self.console.print("  [dim]try again, or type 'help'[/dim]")

    def _describe(self, result: OrderResult, budget: bool = False) -> str:
        order = result.order
        if isinstance(order, TakeAction):
            action = self.spec.action_by_id[order.action]
            left = f"; budget {short_number(self.left)} left" if budget else ""
            return f"{order.text()} ({action.name}, cost {short_number(self.cost(order))}{left})"
        if isinstance(order, Move) and result.route:
            return f"{order.text()} (route {' -> '.join(result.route)})"
        return order.text()

    # ----------------------------------------------------------------- screens

    def show_screen(self) -> None:
        spec, state, console = self.spec, self.state, self.console
        me = spec.actor_by_id[self.actor]
        console.print()
        console.rule(
            f"[bold]Turn {state.turn} of {spec.turns}[/bold] · "
            f"{spec.calendar.label(state.turn)} · {escape(me.name)} ({self.actor})"
        )
        console.print(
            f"[bold]Budget[/bold] {short_number(self.budget)} "
            f"(income {short_number(me.income)} a turn)"
        )
        print_tracks(console, spec, self.actor, state, self.player.previous)
        self.show_forces()
        self.show_red_lines()
        record = self.player.last_record
        if record is not None:
            console.print()
            console.print(f"[bold]Last turn[/bold] (turn {record.turn}, {record.date})")
            print_events(console, spec, self.actor, self.observation.events, everything=False)
            self.show_reasons(record)
        self.show_actions()
        console.print(
            "[dim]Type a number to take that action, or an order: move UNIT AREA · "
            f"attack AREA with UNIT ... · act ACTION {escape('[TARGET]')}.  Also: help, list, "
            "forces, moves UNIT, orders, undo, end, quit.[/dim]",
        )

    def show_forces(self) -> None:
        spec, actor = self.spec, self.actor
        mine = [u for u in self.state.units if u.owner == actor]
        hostile = [u for u in self.state.units if spec.are_hostile(actor, u.owner)]
        self.console.print()
        self.console.print(f"[bold]Your forces[/bold] ({strength_summary(mine)})")
        if mine:
            self.console.print(units_by_area(spec, mine))
        else:
            self.console.print("  none")
        self.console.print(f"[bold]Hostile forces in sight[/bold] ({strength_summary(hostile)})")
        if not hostile:
            self.console.print("  none in sight")
        elif len(hostile) <= HOSTILE_LISTED:
            self.console.print(units_by_area(spec, hostile))
        else:
            self.console.print(area_totals(spec, hostile))
            self.console.print("  [dim]type 'forces' to list every unit[/dim]")

    def show_all_forces(self) -> None:
        spec, actor = self.spec, self.actor
        table = Table(
            title="Forces in sight", show_header=True, header_style="bold", title_justify="left"
        )
        for column in ("unit", "owner", "type", "area", "strength"):
            table.add_column(column, justify="right" if column == "strength" else "left")

        def rank(unit: Unit) -> tuple[int, int, str]:
            side = 0 if unit.owner == actor else 2 if spec.are_hostile(actor, unit.owner) else 1
            return side, spec.area_index[unit.area], unit.id

        for unit in sorted(self.state.units, key=rank):
            table.add_row(
                unit.id,
                unit.owner,
                spec.unit_type_by_id[unit.unit_type].name,
                area_label(spec, unit.area),
                short_number(unit.strength),
            )
        self.console.print(table)

    def show_moves(self, words: Sequence[str]) -> None:
        spec = self.spec
        mine = sorted(u.id for u in self.state.units if u.owner == self.actor)
        if len(words) != 1 or words[0] not in mine:
            guess = difflib.get_close_matches(words[0], mine, n=1) if words else []
            hint = f" (did you mean '{guess[0]}'?)" if guess else ""
            self._refuse(f"write 'moves UNIT' with one of your units{hint}: {', '.join(mine)}")
            return
        unit = self.board.units[words[0]]
        unit_type = spec.unit_type_by_id[unit.unit_type]
        routes = self.destinations(unit.id)
        targets = self.attack_targets(unit.id)
        console = self.console
        say(
            console,
            f"{unit.id}: {unit_type.name}, strength {short_number(unit.strength)}, in "
            f"{area_label(spec, unit.area)}; movement {unit_type.movement}, range "
            f"{unit_type.range}",
        )
        if routes:
            reach = ", ".join(
                f"{area} (via {' '.join(route.path[1:-1])})" if len(route.path) > 2 else area
                for area, route in sorted(routes.items())
            )
            say(console, f"can move to: {reach}")
            say(console, f"e.g. move {unit.id} {min(routes)}")
        else:
            say(console, "cannot move this turn")
        if targets:
            say(console, f"can attack: {', '.join(targets)}")
            say(console, f"e.g. attack {targets[0]} with {unit.id}")
        else:
            say(console, "can attack nothing in sight")

    def show_red_lines(self) -> None:
        lines = visible_red_lines(self.spec, self.state, self.actor)
        if not lines:
            return
        self.console.print()
        self.console.print("[bold]Red lines[/bold]")
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True)
        grid.add_column()
        for line, status in lines:
            by = "you" if line.declared_by == self.actor else line.declared_by
            answer = " or ".join(sorted(line.response))
            turns = f"{line.window} turn" + "s" * (line.window != 1)
            text = (
                f"{line.name}: drawn by {by} against {line.against} in {line.theater}, "
                f"{line.clarity}. {red_line_status(self.state.turn, status, line.window)}."
            )
            if status.status in ("inactive", "armed"):
                text += f" If crossed, {by} must answer with {answer} within {turns}."
            elif status.status == "crossed":
                text += f" Answer: {answer}."
            grid.add_row(f"  {line.id}", escape(text))
        self.console.print(grid)

    def show_reasons(self, record: TurnRecord) -> None:
        spec = self.spec
        side = spec.actor_by_id[self.actor].side
        friends = [
            (who, why)
            for who, why in record.reasons
            if who != self.actor and spec.actor_by_id[who].side == side
        ]
        if not friends:
            return
        self.console.print("[bold]Your allies' computer players said[/bold]")
        for who, why in friends:
            say(self.console, f"{who}: {why}", hang=len(who) + 2)

    def show_actions(self) -> None:
        console = self.console
        console.print()
        if not self.choices:
            console.print("[bold]Actions[/bold]: none is open to you this turn")
            return
        console.print(
            f"[bold]Actions you can take[/bold] (budget {short_number(self.left)} left): "
            "type the number; 'about N' says what an action does"
        )
        answering = self._answering()
        ordered = {o.action for o in self.orders if isinstance(o, TakeAction)}
        rows: list[tuple[str, str, list[tuple[str, str]]]] = []
        for action_id, numbered in group_by_action(self.choices):
            action = self.spec.action_by_id[action_id]
            costs = {self.cost(order) for _, order in numbered}
            cost = "cost " + short_number(min(costs)) + ("+" if len(costs) > 1 else "")
            items: list[tuple[str, str]] = []
            if action_id in ordered:
                items.append(("ordered this turn", "[dim]ordered this turn[/dim]"))
            else:
                for number, order in numbered:
                    if not self.checker.would_accept(order):
                        continue
                    extra = f" ({short_number(self.cost(order))})" if len(costs) > 1 else ""
                    plain = f"{number}{' ' + order.target if order.target else ''}{extra}"
                    items.append(
                        (plain, f"[bold]{number}[/bold]" + escape(plain[len(str(number)) :]))
                    )
                if not items:
                    plain = f"{cost}, {short_number(self.left)} left"
                    items.append((plain, f"[dim]{plain}[/dim]"))
            if action_id in answering:
                plain = f"answers red line {answering[action_id]}"
                items.append((plain, f"[yellow]{escape(plain)}[/yellow]"))
            rows.append((action.name, cost, items))
        name_width = max(len(name) for name, _, _ in rows)
        cost_width = max(len(cost) for _, cost, _ in rows)
        room = max(24, console.width - name_width - cost_width - 8)
        for name, cost, items in rows:
            lines = wrap_items(items, room)
            for index, line in enumerate(lines):
                head = escape(name.ljust(name_width)) if index == 0 else " " * name_width
                price = cost.rjust(cost_width) if index == 0 else " " * cost_width
                console.print(f"  {head}  {price}  {line}", soft_wrap=True, highlight=False)

    def show_about(self, words: Sequence[str]) -> None:
        spec = self.spec
        role = spec.actor_by_id[self.actor].role
        open_to_me = {a.id for a in self.rules.actions_by_role.get(role, ())}
        word = words[0] if len(words) == 1 else ""
        action_id = ""
        if word.isdigit() and 1 <= int(word) <= len(self.choices):
            action_id = self.choices[int(word) - 1].action
        elif word in open_to_me:
            action_id = word
        if not action_id:
            guess = difflib.get_close_matches(word, sorted(open_to_me), n=1) if word else []
            hint = f" (did you mean '{guess[0]}'?)" if guess else ""
            self._refuse(
                f"write 'about N' with a number from the list, or 'about ACTION' "
                f"with one of your actions{hint}: {', '.join(sorted(open_to_me))}"
            )
            return
        action = spec.action_by_id[action_id]
        target = f" {action.target.upper()}" if action.target != "none" else ""
        lines = [
            f"{action.name} ({action.id}): {action.category}, cost {short_number(action.cost)}"
            + (" before coordination" if action.joint else ""),
        ]
        if action.description:
            lines.append(action.description)
        requires = self.rules.requirement_text[action.id]
        if requires != "always":
            lines.append(f"requires: {requires}")
        lines.append(f"order: act {action.id}{target}")
        numbers = [str(n) for n, o in enumerate(self.choices, 1) if o.action == action_id]
        lines.append(
            f"numbers in the list: {', '.join(numbers)}" if numbers else "not open to you this turn"
        )
        for line in lines:
            say(self.console, line)

    def show_orders(self) -> None:
        if not self.orders:
            self.console.print(f"  no orders yet this turn; budget {short_number(self.left)} left")
            return
        for index, result in enumerate(self.results, 1):
            say(self.console, f"{index}. {self._describe(result)}")
        say(
            self.console,
            f"budget {short_number(self.budget)}: "
            f"{short_number(self.budget - self.left)} committed, {short_number(self.left)} left",
        )

    def show_help(self) -> None:
        console = self.console
        console.print(
            "[bold]Giving orders[/bold] (checked as you type them; carried out when you type 'end')"
        )
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True)
        grid.add_column()
        for form, meaning in self._order_help():
            grid.add_row(f"  {escape(form)}", escape(meaning))
        console.print(grid)
        console.print("[bold]Commands[/bold]")
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True)
        grid.add_column()
        for command, meaning in COMMANDS.items():
            grid.add_row(f"  {command}", meaning)
        console.print(grid)

    def _order_help(self) -> list[tuple[str, str]]:
        move_example = attack_example = ""
        for unit in (u for u in self.state.units if u.owner == self.actor):
            routes = self.destinations(unit.id)
            if not move_example and routes:
                move_example = f"move {unit.id} {min(routes)}"
            targets = self.attack_targets(unit.id) if not attack_example else []
            if targets:
                attack_example = f"attack {targets[0]} with {unit.id}"
        act_example = self.choices[0].text() if self.choices else "act ACTION"
        return [
            ("7", "take action number 7 of the list"),
            (
                "move UNIT AREA [via AREA ...]",
                f"move one of your units{', e.g. ' + move_example if move_example else ''}",
            ),
            (
                "attack AREA with UNIT ...",
                "attack hostile forces in AREA"
                + (f", e.g. {attack_example}" if attack_example else " (none in reach now)"),
            ),
            ("act ACTION [TARGET]", f"take an action by name, e.g. {act_example}"),
        ]

    def _answering(self) -> dict[str, str]:
        """Response actions of the actor's crossed red lines, each with its red line."""
        found: dict[str, str] = {}
        for line, status in visible_red_lines(self.spec, self.state, self.actor):
            if line.declared_by == self.actor and status.status == "crossed":
                for action in line.response:
                    found.setdefault(action, line.id)
        return found
