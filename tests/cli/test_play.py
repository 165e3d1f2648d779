"""``redline play --side ACTOR``: a person plays one actor at the terminal, the computer the rest.

Every test runs the real command in a process with its input piped, as a script or a CI job
would, and reads what a player would read on the screen and the game it saved.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console

from engine.ai.players import make_bots
from engine.content import load_game
from engine.core import Rules, initial_state, legal_action_orders
from engine.core.observation import observe
from engine.play.terminal import play_solo
from engine.saves import Replay, SavedGame, read_save

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"
DEFAULT = ROOT / "scenarios" / "default.yaml"
PROMPT_TURN_1 = "[turn 1 · us · "


def play(*args: str, stdin: str | None, cwd: Path = ROOT, timeout: float = 300
         ) -> subprocess.CompletedProcess[str]:
    """``redline play ARGS`` in a new process, ``stdin`` piped in (None: no input at all)."""
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "COLUMNS")}
    env.update(NO_COLOR="1", PYTHONHASHSEED="0")
    return subprocess.run(
        [sys.executable, "-m", "engine.cli", "play", *args],
        input=stdin if stdin is not None else "",
        capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout, check=False,
    )


def saved(path: Path) -> SavedGame:
    return read_save(path)


def finished(path: Path) -> bool:
    """Whether the saved game is over, by replaying it."""
    replay = Replay.open(path)
    return replay.state_at(replay.last_turn + 1).finished


def us_orders(game: SavedGame, turn: int) -> list[str]:
    """The US orders recorded for ``turn``, in text form."""
    return [o.text() for o in game.turn(turn).orders if o.actor == "us"]


def first_us_action() -> str:
    """The text of action 1 on the US list in turn 1 of the tutorial, as the player sees it."""
    spec = load_game(TUTORIAL).spec
    seen = observe(spec, initial_state(spec, 3), "us")
    return legal_action_orders(Rules(spec), seen.state, "us")[0].text()


def tutorial(out: Path, stdin: str, *more: str) -> subprocess.CompletedProcess[str]:
    return play(str(TUTORIAL), "--side", "us", "--seed", "3", "--out", str(out), *more,
                stdin=stdin)


def test_a_bad_order_is_explained_and_asked_again_then_a_good_one_is_taken(
    tmp_path: Path,
) -> None:
    out = tmp_path / "game.json"
    done = tutorial(out, "move us-3abct moon\nmove us-3abct\nmove us-3abct germany\nend\n")
    assert done.returncode == 0, done.stderr
    screen = done.stdout
    assert "rejected unknown_area: there is no area 'moon'" in screen
    assert ("rejected cannot read that order: 'move us-3abct': write 'move UNIT DESTINATION"
            in screen)
    assert "ordered move us-3abct germany (route conus -> germany)" in screen
    # Asked again after each mistake: one prompt per line read, all in turn 1 until 'end'.
    turn_1 = screen[: screen.index("Turn 2 of 6")]
    assert turn_1.count(PROMPT_TURN_1) == 4
    assert "Traceback" not in screen + done.stderr
    assert us_orders(saved(out), 1) == ["move us-3abct germany"]


def test_an_illegal_order_gives_its_code_and_reason(tmp_path: Path) -> None:
    out = tmp_path / "game.json"
    lines = [
        "attack baltics with us-2cr",       # no enemy there
        "move us-2cr poland",
        "move us-2cr germany",              # us-2cr has its order already; also where it is
        "russia: act snap_drill",           # not the player's actor
        "fly us-2cr home",                  # no such order
        "lsit",                             # a typo of a command
        "99",                               # no such action
        "end",
    ]
    done = tutorial(out, "\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    screen = done.stdout
    assert "rejected no_enemy: baltics holds no forces hostile to us" in screen
    assert "rejected already_ordered: us-2cr already has an order" in screen
    assert "rejected you play us: orders for russia are not yours to give" in screen
    assert "rejected 'fly' is neither an order nor a command" in screen
    assert "did you mean 'list'?" in screen
    assert "rejected there is no action 99: the actions are numbered 1 to" in screen
    assert us_orders(saved(out), 1) == ["move us-2cr poland"]


def test_a_numbered_action_is_taken_and_undo_drops_the_last_order(tmp_path: Path) -> None:
    out = tmp_path / "game.json"
    done = tutorial(out, "1\nmove us-3abct germany\nundo\norders\nend\nend\n")
    assert done.returncode == 0, done.stderr
    action = first_us_action()
    assert f"ordered {action}" in done.stdout
    assert "dropped move us-3abct germany" in done.stdout
    assert f"1. {action}" in done.stdout          # 'orders' lists what is left
    game = saved(out)
    assert us_orders(game, 1) == [action]
    assert us_orders(game, 2) == []


def test_the_budget_is_kept_as_orders_are_given(tmp_path: Path) -> None:
    """Forward deployment costs 6 of the 12 the US starts with: a second costly action after
    two others is refused for budget, and the refusal names what is left."""
    out = tmp_path / "game.json"
    done = tutorial(out, "act forward_deploy germany\nact precision_strike\n"
                         "act exercise\nact statement poland\nend\n")
    assert done.returncode == 0, done.stderr
    assert "rejected no_budget: 'statement' costs 1; us has 0 left" in done.stdout
    assert us_orders(saved(out), 1) == [
        "act forward_deploy germany", "act precision_strike", "act exercise",
    ]


def test_a_whole_game_ends_with_the_outcome_measures_and_a_save(tmp_path: Path) -> None:
    out = tmp_path / "game.json"
    done = tutorial(out, "end\n" * 6)
    assert done.returncode == 0, done.stderr
    assert "Game over after turn 6" in done.stdout
    assert "Outcome measures" in done.stdout
    assert f"wrote {out}" in done.stdout
    game = saved(out)
    assert json.loads(out.read_text())["format"] == "redline-save"
    assert [t.turn for t in game.turns] == [1, 2, 3, 4, 5, 6]
    assert finished(out)
    assert game.stopped == ""
    assert game.players["us"] == "human"
    assert game.players["russia"] != "human"


def test_end_of_input_mid_game_saves_what_was_played_and_exits_cleanly(tmp_path: Path) -> None:
    out = tmp_path / "game.json"
    done = tutorial(out, "end\n1\nend\nmove us-3abct germany\n")   # input ends in turn 3
    assert done.returncode == 0, done.stderr
    assert "Game stopped (end of input) before turn 3 was played; 2 turns played." in done.stdout
    game = saved(out)
    assert [t.turn for t in game.turns] == [1, 2]
    assert game.stopped == "end of input"
    assert not finished(out)
    assert "Traceback" not in done.stdout + done.stderr


def test_quit_stops_and_saves(tmp_path: Path) -> None:
    out = tmp_path / "game.json"
    done = tutorial(out, "quit\n")
    assert done.returncode == 0, done.stderr
    game = saved(out)
    assert game.turns == [] and game.stopped == "quit"


def test_without_out_the_game_is_saved_under_saves(tmp_path: Path) -> None:
    done = play(str(TUTORIAL), "--side", "poland", stdin="end\n", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    game = saved(tmp_path / "saves" / "tutorial-latest.json")
    assert game.players["poland"] == "human" and len(game.turns) == 1


def test_the_screen_shows_what_the_player_needs(tmp_path: Path) -> None:
    done = tutorial(tmp_path / "game.json", "help\nend\n")
    screen = done.stdout
    turn_1 = screen[: screen.index("Turn 2 of 6")]
    for text in (
        "Turn 1 of 6 · 2025-01 · United States (us)",
        "Budget 12 (income 6 a turn)",
        "Escalation           europe Gray zone",
        "Assurance of allies  poland 45",
        "Your forces (5 units, strength 16)",
        "conus (off-map)",
        "us-3abct Armored brigade 4",
        "Hostile forces in sight",
        "ru-11ac Infantry brigade 3",
        "baltic_tripwire",
        "Armed since turn 1",
        "Actions you can take (budget 12 left)",
        "Forward deployment",
        "Type a number to take that action, or an order",
        "move UNIT AREA [via AREA ...]",          # the help, escaped from rich markup
        "act ACTION [TARGET]",
    ):
        assert text in turn_1, text
    # The next turn shows what the US saw happen, with the changes since.
    turn_2 = screen[screen.index("Turn 2 of 6"):]
    assert "Last turn (turn 1, 2025-01)" in turn_2
    assert "type 'events' to see everything" in turn_2


def test_the_player_sees_only_its_actors_observation(tmp_path: Path) -> None:
    """In the default scenario some hostile units are out of the US's sight: 'forces' lists
    every unit the US sees and none of those."""
    spec = load_game(DEFAULT).spec
    start = initial_state(spec, 3)
    seen = {u.id for u in observe(spec, start, "us").state.units}
    hidden = sorted(u.id for u in start.units if u.id not in seen)
    assert hidden, "the default scenario should hide some hostile units from the US"
    done = play(str(DEFAULT), "--side", "us", "--seed", "3", "--out",
                str(tmp_path / "game.json"), stdin="forces\n")
    assert done.returncode == 0, done.stderr
    table = done.stdout[done.stdout.index("Forces in sight"):]
    assert all(f"│ {unit} " in table for unit in sorted(seen))
    assert not any(f" {unit} " in done.stdout for unit in hidden)


def test_one_turn_of_the_default_scenario(tmp_path: Path) -> None:
    out = tmp_path / "game.json"
    done = play(str(DEFAULT), "--side", "us", "--seed", "3", "--out", str(out),
                stdin="1\nmove us-rot-abct germany\nend\n")
    assert done.returncode == 0, done.stderr
    assert "Turn 1 of 24 · 2025-01 · United States (us)" in done.stdout
    assert "US credibility       europe 60 · asia 55" in done.stdout
    assert "Turn 2 of 24" in done.stdout
    orders = us_orders(saved(out), 1)
    assert orders[1:] == ["move us-rot-abct germany"] and orders[0].startswith("act ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--side", "atlantis"], "--side atlantis: tutorial has no such actor; choose one of "
                                 "us, poland, russia"),
        (["--side", "rusia"], "did you mean 'russia'?"),
        (["--side", "us", "--difficulty", "bogus"], "which have no difficulty levels"),
        (["--side", "us", "--bot", "us=random"], "you play us yourself"),
    ],
)
def test_bad_arguments_are_clean_errors(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "game.json"
    done = play(str(TUTORIAL), "--out", str(out), *args, stdin="end\n")
    assert done.returncode == 1
    assert message in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert not out.exists()


def doctrine_tutorial(tmp_path: Path) -> Path:
    """The tutorial with a small doctrine: Poland drills, Russia probes."""
    (tmp_path / "doctrine.yaml").write_text(
        "doctrine: test\n"
        "personalities:\n  steady: {}\n"
        "difficulties:\n  easy: {actions: 1}\n  hard: {actions: 2}\n"
        "default_difficulty: easy\n"
        "actors:\n"
        "  poland:\n    personality: steady\n    rules:\n"
        "      drill: {do: [{action: exercise}], explain: 'Poland drills with its allies'}\n"
        "  russia:\n    personality: steady\n    rules:\n"
        "      probe: {do: [{action: snap_drill}], explain: 'Russia probes the border'}\n"
    )
    scenario = tmp_path / "tutorial.yaml"
    scenario.write_text(
        TUTORIAL.read_text().replace("ruleset: ../rules/tutorial.yaml",
                                     f"ruleset: {ROOT / 'rules' / 'tutorial.yaml'}\n"
                                     "doctrine: doctrine.yaml")
    )
    return scenario


def test_difficulty_is_checked_against_the_doctrine(tmp_path: Path) -> None:
    scenario = doctrine_tutorial(tmp_path)
    out = tmp_path / "game.json"
    bad = play(str(scenario), "--side", "us", "--difficulty", "bogus", "--out", str(out),
               stdin="end\n")
    assert bad.returncode == 1
    assert "unknown difficulty 'bogus': choose one of easy, hard" in bad.stderr
    assert "Traceback" not in bad.stdout + bad.stderr
    good = play(str(scenario), "--side", "us", "--difficulty", "hard", "--out", str(out),
                stdin="end\nend\n")
    assert good.returncode == 0, good.stderr
    game = saved(out)
    assert (game.players["poland"], game.difficulty) == ("doctrine", "hard")
    # An ally's reasons are shown; an adversary keeps its own to itself.
    turn_2 = good.stdout[good.stdout.index("Turn 2 of 6"):]
    assert "poland: Poland drills with its allies" in turn_2
    assert "Russia probes the border" not in good.stdout


def test_without_side_play_stays_headless_even_without_a_terminal(tmp_path: Path) -> None:
    out = tmp_path / "game.json"
    done = play(str(TUTORIAL), "--out", str(out), stdin=None)
    assert done.returncode == 0, done.stderr
    assert "playing headless" in done.stdout
    assert "[turn 1" not in done.stdout
    assert len(saved(out).turns) == 6


def test_play_solo_drives_the_shared_game_loop(tmp_path: Path) -> None:
    """In process: a scripted player through ``play_solo``; the record is ``play_game``'s."""
    game = load_game(TUTORIAL)
    rules = Rules(game.spec)
    bots = {a: b for a, b in make_bots(rules, game.doctrine).items() if a != "us"}
    script = iter(["act exercise", "end", "end", "quit"])

    def read_line(prompt: str) -> str:
        return next(script)

    screen = StringIO()
    record = play_solo(rules, bots, "us", Console(file=screen, width=120), read_line, seed=3)
    assert [t.turn for t in record.turns] == [1, 2]
    assert record.stopped == "quit"
    assert [o.text() for o in record.turns[0].orders if o.actor == "us"] == ["act exercise"]
    assert "Game stopped (quit) before turn 3 was played" in screen.getvalue()


def test_a_crossed_red_line_says_when_and_with_what_to_answer_it() -> None:
    """Turn 2, a Russian brigade in the Baltic States, the US tripwire crossed on turn 1:
    the screen says it must be answered this turn and marks the actions that answer it."""
    import dataclasses

    from engine.core.rng import Rng
    from engine.core.state import RedLineState
    from engine.play.terminal import TerminalPlayer

    spec = load_game(TUTORIAL).spec
    start = initial_state(spec)
    units = tuple(u._replace(area="baltics") if u.id == "ru-76vdv" else u for u in start.units)
    state = dataclasses.replace(start, turn=2, units=units,
                                red_lines=(RedLineState("crossed", 1, 1, "russia"),))
    screen = StringIO()
    script = iter(["act precision_strike", "end"])
    player = TerminalPlayer("us", Console(file=screen, width=200), lambda _: next(script))
    decision = player.decide(observe(spec, state, "us"), Rules(spec), Rng.from_seed(1))
    text = screen.getvalue()
    assert "CROSSED by russia on turn 1: to be answered this turn" in text
    assert "Precision strike on launch sites  cost 4  7  answers red line baltic_tripwire" in text
    assert [o.text() for o in decision.orders] == ["act precision_strike"]
