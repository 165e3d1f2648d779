"""The white cell's controls in a save: recorded where they were given, replayed exactly.

A facilitator's override (effects in the rules language, with a reason) or inject (one of
the scenario's triggers, fired now) is applied between two turns through
:meth:`Replay.add_control`.  The save records it after the turn it followed, with its
events and the new digest, so that the game replays, resumes and branches with it; a
control the game cannot take is refused before anything is recorded.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from engine.core.events import EscalationChanged, MessageSent, TrackChanged, TriggerFired
from engine.core.state import track_value
from engine.errors import ContentError, ReplayMismatch, SaveError
from engine.saves import ControlRecord, Recorder, Replay, read_save, write_save

from .support import DEFAULT, TUTORIAL, continue_game, edit_document, recorded

STRIKE_MISSED = ControlRecord(
    "override", "the strike missed", effects=({"adjust": "tension", "scope": "europe", "by": -5},)
)
SUMMIT_FAILS = ControlRecord("inject", "the summit fails", trigger="tension_to_crisis")


def saved_game(tmp_path: Path, turns: int, scenario: Path = TUTORIAL) -> Path:
    path = tmp_path / "game.json"
    write_save(path, recorded(scenario, turns).fresh_save())
    return path


def test_an_override_and_an_inject_after_a_turn_are_recorded_and_replay(tmp_path: Path) -> None:
    path = saved_game(tmp_path, 2)
    replay = Replay.open(path)
    tension = track_value(replay.spec, replay.state_at(3), "tension", "europe")
    assert tension == 41.96
    assert replay.add_control(STRIKE_MISSED) == (
        TrackChanged(3, "control", "control:1", "tension", "europe", 41.96, 36.96),
    )
    assert replay.add_control(SUMMIT_FAILS) == (
        TriggerFired(3, "control", "control:2", "tension_to_crisis"),
        MessageSent(3, "control", "trigger:tension_to_crisis", "all",
                    "Tension in Europe has reached crisis level."),
    )
    turn = replay.saved.turn(2)
    assert turn.controls == (STRIKE_MISSED, SUMMIT_FAILS)
    assert len(turn.control_events) == 3
    assert turn.digest == replay.state_at(3).digest() != recorded(TUTORIAL, 2).saved.turn(2).digest
    write_save(path, replay.saved)
    assert json.loads(path.read_text())["turns"][1]["controls"] == [
        {"override": [{"adjust": "tension", "scope": "europe", "by": -5}],
         "reason": "the strike missed"},
        {"inject": "tension_to_crisis", "reason": "the summit fails"},
    ]
    back = Replay.open(path)
    assert back.saved == replay.saved
    back.verify()
    after = back.state_at(3)
    assert track_value(back.spec, after, "tension", "europe") == 36.96
    assert back.events_of(2)[-3:] == turn.control_events


def test_a_game_resumed_after_controls_goes_on_from_the_corrected_state(tmp_path: Path) -> None:
    path = saved_game(tmp_path, 2)
    replay = Replay.open(path)
    replay.add_control(STRIKE_MISSED)
    write_save(path, replay.saved)
    resumed = Replay.open(path)
    position = resumed.position(3)
    assert track_value(resumed.spec, position.state, "tension", "europe") == 36.96
    assert position.last_events[-1] == TrackChanged(
        3, "control", "control:1", "tension", "europe", 41.96, 36.96
    )
    rest = continue_game(resumed, 3, on_turn=Recorder(resumed.saved))
    assert [t.turn for t in rest.turns] == [3, 4, 5, 6]
    assert rest.final.digest() != recorded(TUTORIAL).record.final.digest()
    write_save(path, resumed.saved)
    final = Replay.open(path)
    final.verify()
    assert final.state_at(7) == rest.final
    assert final.saved.turn(2).controls == (STRIKE_MISSED,)


def test_controls_before_the_first_turn_open_the_game(tmp_path: Path) -> None:
    path = saved_game(tmp_path, 0)
    replay = Replay.open(path)
    assert replay.last_turn == 0
    assert replay.add_control(SUMMIT_FAILS) == (
        TriggerFired(1, "control", "control:1", "tension_to_crisis"),
        EscalationChanged(1, "control", "trigger:tension_to_crisis", "europe", "gray_zone",
                          "crisis"),
        MessageSent(1, "control", "trigger:tension_to_crisis", "all",
                    "Tension in Europe has reached crisis level."),
    )
    assert replay.saved.opening == (SUMMIT_FAILS,)
    write_save(path, replay.saved)
    opened = Replay.open(path)
    assert opened.saved.opening_events == replay.saved.opening_events
    continue_game(opened, 1, on_turn=Recorder(opened.saved))
    assert opened.last_turn == 6
    write_save(path, opened.saved)
    Replay.open(path).verify()


def test_a_control_after_a_keyframe_turn_updates_the_keyframe(tmp_path: Path) -> None:
    path = saved_game(tmp_path, 8, DEFAULT)
    replay = Replay.open(path)
    assert sorted(replay.saved.keyframes) == [9]
    replay.add_control(STRIKE_MISSED)
    assert replay.saved.keyframes[9] == replay.state_at(9) != recorded(DEFAULT, 8).states[9]
    write_save(path, replay.saved)
    fresh = Replay.open(path)
    assert fresh.state_at(9) == replay.state_at(9)  # from the keyframe, checked by digest
    fresh.verify()


@pytest.mark.parametrize(
    ("control", "lines"),
    [
        (ControlRecord("override", "oops", effects=({"adjust": "tensoin", "scope": "europe",
                                                     "by": -5},)),
         ["error: at override[0].adjust: unknown track 'tensoin'",
          "    hint: did you mean 'tension'?"]),
        (ControlRecord("override", "oops", effects=({"adjust": "tension", "scope": "asia",
                                                     "by": -5},)),
         ["error: at override[0].scope: unknown theater 'asia'",
          "    hint: known theaters: europe"]),
        (ControlRecord("override", "  ", effects=STRIKE_MISSED.effects),
         ["error: an override needs a reason", "    hint: say why the result is changed"]),
        (ControlRecord("inject", "oops", trigger="tension_to_crisys"),
         ["error: no trigger 'tension_to_crisys' to inject",
          "    hint: did you mean 'tension_to_crisis'?"]),
    ],
    ids=["unknown-track", "unknown-theater", "no-reason", "unknown-trigger"],
)
def test_a_control_the_game_cannot_take_is_refused_and_nothing_is_recorded(
    tmp_path: Path, control: ControlRecord, lines: list[str]
) -> None:
    path = saved_game(tmp_path, 2)
    before = path.read_bytes()
    replay = Replay.open(path)
    state = replay.state_at(3)
    with pytest.raises(ContentError) as caught:
        replay.add_control(control)
    message = str(caught.value)
    first, hint = lines
    assert message.endswith(f"{first}\n{hint}"), message
    assert message.startswith(f"{path} (control after turn 2): ")
    assert replay.saved == read_save(path)
    assert replay.saved.turn(2).controls == ()
    assert replay.state_at(3) == state
    write_save(path, replay.saved)
    assert path.read_bytes() == before


def test_a_refused_control_is_not_blamed_on_the_save(tmp_path: Path) -> None:
    replay = Replay.open(saved_game(tmp_path, 2))
    typo = ControlRecord("override", "oops", effects=({"adjust": "tensoin", "scope": "europe",
                                                       "by": -5},))
    with pytest.raises(Exception) as caught:
        replay.add_control(typo)
    assert "unknown track 'tensoin'" in str(caught.value)
    assert "recorded control" not in str(caught.value)


def recorded_with_controls(tmp_path: Path) -> Path:
    path = saved_game(tmp_path, 2)
    replay = Replay.open(path)
    replay.add_control(STRIKE_MISSED)
    replay.add_control(SUMMIT_FAILS)
    write_save(path, replay.saved)
    return path


def test_a_tampered_override_fails_verification(tmp_path: Path) -> None:
    path = recorded_with_controls(tmp_path)

    def deeper_cut(document: dict[str, Any]) -> None:
        document["turns"][1]["controls"][0]["override"][0]["by"] = -9

    edit_document(path, deeper_cut)
    replay = Replay.open(path)  # the checksum was recomputed: the file reads
    with pytest.raises(ReplayMismatch) as caught:
        replay.verify()
    assert caught.value.turn == 2
    assert str(caught.value) == (
        "the replay diverges at turn 2: controls event 1 differs: recorded [tension[europe] "
        "41.96 -> 36.96] (control:1), replayed [tension[europe] 41.96 -> 32.96] (control:1)"
    )


def test_a_dropped_control_fails_verification(tmp_path: Path) -> None:
    path = recorded_with_controls(tmp_path)
    edit_document(path, lambda d: d["turns"][1]["controls"].pop(0))
    with pytest.raises(ReplayMismatch) as caught:
        Replay.open(path).verify()
    assert str(caught.value) == (
        "the replay diverges at turn 2: controls event 1 differs: recorded [tension[europe] "
        "41.96 -> 36.96] (control:1), replayed [trigger 'tension_to_crisis' fires] (control:1)"
    )


def test_a_control_tampered_into_an_unknown_trigger_is_named(tmp_path: Path) -> None:
    path = recorded_with_controls(tmp_path)
    edit_document(path, lambda d: d["turns"][1]["controls"][1].update(inject="coup"))
    with pytest.raises(SaveError) as caught:
        Replay.open(path).verify()
    assert str(caught.value) == (
        f"{path}: a recorded control is invalid: {path} (controls after turn 2): error: "
        "no trigger 'coup' to inject\n    hint: injects name a trigger of the scenario"
    )
