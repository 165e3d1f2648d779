"""Opening the map view from the command line: play, replay, and screenshots.

``redline play`` and ``redline replay --view`` come here.  A screenshot is a frame drawn and
saved without waiting for input, so it works without a display (the caller sets
``SDL_VIDEODRIVER=dummy`` when there is none).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

from engine.ai.bot import Bot
from engine.core import GameState, Rules
from engine.core.observation import observe
from engine.runner import GameRecord, Position, TurnRecord, play_game
from engine.saves.game import SavedGame
from engine.saves.replay import Replay
from engine.view import theme
from engine.view.app import ViewApp
from engine.view.play import PlayController, ViewPlayer
from engine.view.replay import ReplayController

OnTurn = Callable[[TurnRecord, GameState], None]


def use_dummy_display() -> None:
    """Draw off screen: for screenshots and games where no display can be opened."""
    os.environ["SDL_VIDEODRIVER"] = "dummy"
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")


def caption(title: str) -> str:
    """The window's title: the scenario's name, with Redline's when it lacks it."""
    return title if "redline" in title.lower() else f"{title} - Redline"


def play_in_view(
    rules: Rules,
    bots: Mapping[str, Bot],
    side: str,
    seed: int,
    on_turn: OnTurn,
    start: Position | None = None,
    size: tuple[int, int] = theme.DEFAULT_SIZE,
    fullscreen: bool = False,
    review: Callable[[], Replay] | None = None,
    keep_notes: Callable[[SavedGame], None] | None = None,
    screenshots: Path = Path("saves"),
) -> GameRecord:
    """Play ``side`` in the map view against ``bots`` until the game ends or the window is
    closed; then, if ``review`` gives the finished game, show it in replay mode."""
    app = ViewApp(rules.spec, size, fullscreen, caption(rules.spec.scenario_name), screenshots)
    player = ViewPlayer(app, side)
    seats: dict[str, Bot] = {**{a: b for a, b in bots.items() if a != side}, side: player}

    def turn_played(record: TurnRecord, state: GameState) -> None:
        player.note_turn(record, state)
        on_turn(record, state)

    record = play_game(rules, seats, seed=seed, on_turn=turn_played, start=start)
    if not record.stopped and review is not None:
        replay = review()
        app.attach(ReplayController(app, replay, side, replay.last_turn, keep_notes))
        app.say("The game is over: step back through it, or close the window.")
        app.run()
    return record


def replay_in_view(
    replay: Replay,
    side: str = "",
    turn: int = 1,
    keep_notes: Callable[[SavedGame], None] | None = None,
    size: tuple[int, int] = theme.DEFAULT_SIZE,
    fullscreen: bool = False,
    screenshots: Path = Path("saves"),
) -> None:
    """Step through a save in the map view until the window is closed."""
    title = caption(f"{replay.spec.scenario_name} (replay)")
    app = ViewApp(replay.spec, size, fullscreen, title, screenshots)
    app.attach(ReplayController(app, replay, side, turn, keep_notes))
    app.run()


def screenshot_turn(
    rules: Rules,
    side: str,
    position: Position,
    path: Path,
    size: tuple[int, int] = theme.DEFAULT_SIZE,
) -> Path:
    """Save the turn screen ``side`` would see at ``position`` as an image, and return."""
    app = ViewApp(rules.spec, size, screenshots=path.parent)
    player = ViewPlayer(app, side)
    seen = observe(rules.spec, position.state, side, position.last_events, position.previous)
    app.attach(PlayController(player, rules, seen))
    return app.screenshot(path)


def screenshot_replay(
    replay: Replay,
    path: Path,
    side: str = "",
    turn: int = 1,
    size: tuple[int, int] = theme.DEFAULT_SIZE,
) -> Path:
    """Save the replay screen of ``turn`` as an image, and return."""
    app = ViewApp(replay.spec, size, screenshots=path.parent)
    app.attach(ReplayController(app, replay, side, turn))
    return app.screenshot(path)
