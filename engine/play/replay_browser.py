"""Stepping through a saved game at the terminal: ``redline replay SAVE``.

The browser shows one turn at a time (its orders, the computer players' reasons and what
happened) and moves forwards, backwards or to any turn; every state it shows is replayed
from the save's orders and checked against its digests.  ``state ACTOR`` shows the game as
that actor saw it after the turn.  Reviewing as one side (``--side``) shows only what that
side saw: its own orders and reasons and the events in its sight, never another side's.
Bookmarks and annotations added here are written back to the save at once.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console
from rich.markup import escape

from engine.core import Event
from engine.core.observation import observe
from engine.core.spec import GameSpec
from engine.errors import RedlineError
from engine.play.render import print_events, print_tracks, say, units_by_area
from engine.play.terminal import ReadLine
from engine.saves.game import Note, SavedGame
from engine.saves.redact import side_turn
from engine.saves.replay import Replay

COMMANDS = {
    "next": "the next turn (or just press Enter)",
    "prev": "the previous turn",
    "goto": "goto N: turn N",
    "events": "every event of this turn (not only the headlines)",
    "orders": "every order given this turn",
    "state": "state ACTOR: the game as ACTOR saw it after this turn",
    "mark": "mark LABEL: bookmark this turn",
    "note": "note TEXT: annotate this turn",
    "marks": "list the bookmarks and annotations",
    "help": "this list",
    "quit": "leave the replay",
}
ALIASES = {"n": "next", "": "next", "p": "prev", "g": "goto", "e": "events", "o": "orders",
           "s": "state", "b": "mark", "bookmark": "mark", "h": "help", "?": "help",
           "q": "quit", "exit": "quit"}  # fmt: skip


class ReplayBrowser:
    """One person stepping through a replay, from the control view or as one ``side``."""

    def __init__(
        self,
        replay: Replay,
        console: Console,
        read_line: ReadLine,
        side: str | None = None,
        keep_notes: Callable[[SavedGame], None] | None = None,
    ) -> None:
        self.replay = replay
        self.console = console
        self.read_line = read_line
        self.side = side
        self.keep_notes = keep_notes
        self.turn = 1

    @property
    def spec(self) -> GameSpec:
        return self.replay.spec

    def run(self, start: int = 1) -> None:
        last = self.replay.last_turn
        if last == 0:
            self.console.print("No turn has been played in this game yet.")
            return
        self.turn = min(max(start, 1), last)
        self.show_turn()
        while True:
            try:
                text = self.read_line(f"replay turn {self.turn}/{last}> ")
            except EOFError:
                return
            except KeyboardInterrupt:
                self.console.print()
                return
            if not self.handle(text.strip()):
                return

    def handle(self, text: str) -> bool:
        """Carry out one command; False when the person leaves."""
        word, _, rest = text.partition(" ")
        command = ALIASES.get(word.lower(), word.lower())
        rest = rest.strip()
        try:
            if command == "quit":
                return False
            if command == "next":
                self.go(self.turn + 1)
            elif command == "prev":
                self.go(self.turn - 1)
            elif command == "goto":
                self.goto(rest)
            elif command == "events":
                self.show_events(everything=True)
            elif command == "orders":
                self.show_orders(everything=True)
            elif command == "state":
                self.show_state(rest)
            elif command == "mark":
                self.add_note(rest, bookmark=True)
            elif command == "note":
                self.add_note(rest, bookmark=False)
            elif command == "marks":
                self.show_notes()
            elif command == "help":
                for name, what in COMMANDS.items():
                    self.console.print(f"  [bold]{name:<7}[/bold] {escape(what)}")
            else:
                self.refuse(f"unknown command '{word}': type 'help' for the commands")
        except RedlineError as exc:
            self.refuse(str(exc))
        return True

    def refuse(self, message: str) -> None:
        self.console.print(f"[red]{escape(message)}[/red]", soft_wrap=True)

    # ------------------------------------------------------------------ moving

    def go(self, turn: int) -> None:
        last = self.replay.last_turn
        if turn < 1:
            self.refuse("this is the first turn")
        elif turn > last:
            self.refuse(f"turn {last} is the last turn played")
        else:
            self.turn = turn
            self.show_turn()

    def goto(self, text: str) -> None:
        if not text.isdigit():
            self.refuse("write 'goto N' with a turn number")
            return
        self.go(int(text))

    # ------------------------------------------------------------------ showing

    def _events(self) -> tuple[Event, ...]:
        if self.side is None:
            return self.replay.events_of(self.turn)
        return side_turn(self.replay, self.side, self.turn).events

    def show_turn(self) -> None:
        saved = self.replay.saved.turn(self.turn)
        self.replay.state_at(self.turn + 1)  # checks the turn against its digest
        view = f" as {self.side}" if self.side else ""
        self.console.rule(
            f"[bold]Turn {self.turn}[/bold] of {self.replay.last_turn}, {saved.date}{view}"
        )
        for note in self._notes_here():
            say(self.console, note)
        self.show_orders(everything=False)
        self.show_events(everything=False)

    def _notes_here(self) -> list[str]:
        saved = self.replay.saved
        return [f"bookmark: {n.text}" for n in saved.bookmarks if n.turn == self.turn] + [
            f"note: {n.text}" for n in saved.annotations if n.turn == self.turn
        ]

    def show_orders(self, everything: bool) -> None:
        saved = self.replay.saved.turn(self.turn)
        actors = [self.side] if self.side else [a.id for a in self.spec.actors]
        reasons: dict[str, list[str]] = {}
        for actor, reason in saved.reasons:
            reasons.setdefault(actor, []).append(reason)
        self.console.print("[bold]Orders[/bold]")
        for actor in actors:
            given = [o.text() for o in saved.orders if o.actor == actor]
            if not given and not everything:
                continue
            listed = given if everything else given[:3]
            more = f" and {len(given) - 3} more" if len(given) > len(listed) else ""
            say(self.console, f"{actor}: {'; '.join(listed) or 'none'}{more}")
            for reason in reasons.get(actor, []):
                say(self.console, f"  why: {reason}")
        for control in saved.controls if self.side is None else ():
            what = (
                f"inject '{control.trigger}'"
                if control.kind == "inject"
                else f"override ({len(control.effects)} effects)"
            )
            say(self.console, f"white cell after the turn: {what}, because {control.reason}")
        if not everything:
            self.console.print("[dim]  'orders' lists every order[/dim]")

    def show_events(self, everything: bool) -> None:
        self.console.print("[bold]What happened[/bold]")
        viewer = self.side or self.spec.actors[0].id
        print_events(self.console, self.spec, viewer, self._events(), everything)

    def show_state(self, actor: str) -> None:
        actor = actor or self.side or ""
        if not actor:
            self.refuse("write 'state ACTOR', e.g. state " + self.spec.actors[0].id)
            return
        if actor not in self.spec.actor_by_id:
            self.refuse(f"no actor '{actor}': {', '.join(a.id for a in self.spec.actors)}")
            return
        if self.side is not None and actor != self.side:
            self.refuse(f"you are reviewing as {self.side}: other sides' views are hidden")
            return
        before, after = self.replay.state_at(self.turn), self.replay.state_at(self.turn + 1)
        seen = observe(self.spec, after, actor, self.replay.events_of(self.turn), before)
        self.console.print(f"[bold]After turn {self.turn}, as {escape(actor)} saw it[/bold]")
        belief_before = observe(self.spec, before, actor).state
        print_tracks(self.console, self.spec, actor, seen.state, belief_before)
        self.console.print(units_by_area(self.spec, seen.state.units))

    def show_notes(self) -> None:
        saved = self.replay.saved
        notes = sorted(
            [(n.turn, f"bookmark: {n.text}") for n in saved.bookmarks]
            + [(n.turn, f"note: {n.text}") for n in saved.annotations]
        )
        if not notes:
            self.console.print("No bookmarks or annotations yet: 'mark LABEL', 'note TEXT'.")
        for turn, text in notes:
            say(self.console, f"turn {turn}: {text}")

    # ------------------------------------------------------------------ notes

    def add_note(self, text: str, bookmark: bool) -> None:
        if not text:
            self.refuse(f"write '{'mark LABEL' if bookmark else 'note TEXT'}'")
            return
        saved = self.replay.saved
        (saved.bookmarks if bookmark else saved.annotations).append(Note(self.turn, text))
        if self.keep_notes is not None:
            self.keep_notes(saved)
        self.console.print(f"{'bookmarked' if bookmark else 'annotated'} turn {self.turn}")
