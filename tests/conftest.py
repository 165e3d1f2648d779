"""Fixtures shared by the whole suite: the tutorial scenario, loaded once per session.

The spec, the compiled rules and the initial state are immutable values, so one copy can
serve every test; a test that needs a different start builds it with
``dataclasses.replace`` from ``tutorial_state``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine.content import load_game
from engine.core import GameSpec, GameState, Rules, initial_state

# The map view draws off screen in tests, with or without a display, and never plays sound.
os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"

ROOT = Path(__file__).resolve().parents[1]
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"


@pytest.fixture(scope="session")
def tutorial_spec() -> GameSpec:
    """The tutorial scenario compiled into a :class:`GameSpec`."""
    return load_game(TUTORIAL).spec


@pytest.fixture(scope="session")
def tutorial_rules(tutorial_spec: GameSpec) -> Rules:
    """The tutorial's compiled rules."""
    return Rules(tutorial_spec)


@pytest.fixture(scope="session")
def tutorial_state(tutorial_spec: GameSpec) -> GameState:
    """The tutorial's state at the start of turn 1, with the scenario's own seed."""
    return initial_state(tutorial_spec)
