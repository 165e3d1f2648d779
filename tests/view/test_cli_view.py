"""The map view from the command line: screenshots, and what happens without a display.

Every test runs the real ``redline`` command in a new process, from the repository root as
a user would, with ``SDL_VIDEODRIVER=dummy`` (or with no display at all), and reads the
files it wrote and what it printed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pygame
import pytest

from engine.saves import Replay, write_save
from engine.view.app import ViewApp
from engine.view.replay import ReplayController

from .support import MANY_COLOURS, ROOT, SIZE, TUTORIAL, pixels, png_colours, recorded, reset

TIMEOUT = 120


def redline(*args: str, display: bool = False) -> subprocess.CompletedProcess[str]:
    """``redline ARGS`` in a new process at the repository root, its input empty.  With no
    ``display`` there is neither an X11 nor a Wayland display nor an SDL video driver
    named; otherwise the dummy driver is named (as the test suite does)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("FORCE_COLOR", "COLUMNS", "DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")
    }
    env.update(NO_COLOR="1", SDL_AUDIODRIVER="dummy")
    if display:
        env.update(SDL_VIDEODRIVER="dummy")
    return subprocess.run(
        [sys.executable, "-m", "engine.cli", *args],
        input="",
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=TIMEOUT,
        check=False,
    )


@pytest.fixture(scope="module")
def save(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The recorded default game, written to a file."""
    path = tmp_path_factory.mktemp("saves") / "default.json"
    write_save(path, recorded().saved)
    return path


def test_play_screenshot_draws_the_first_turn_into_a_png(tmp_path: Path) -> None:
    image = tmp_path / "first.png"
    done = redline("play", "scenarios/default.yaml", "--screenshot", str(image), display=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith(f"wrote {image}")
    size, count = png_colours(image)
    assert size == SIZE == (1600, 900)
    assert count > MANY_COLOURS
    assert not (ROOT / "saves" / "first.png").exists()


def test_play_screenshot_refuses_a_file_that_is_not_an_image(tmp_path: Path) -> None:
    target = tmp_path / "first.txt"
    done = redline("play", "scenarios/default.yaml", "--screenshot", str(target))
    assert done.returncode == 1
    assert f"error: --screenshot {target}: give an image file name ending in .png" in done.stderr
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_play_screenshot_into_a_folder_names_the_screenshot_option(tmp_path: Path) -> None:
    done = redline("play", "scenarios/default.yaml", "--screenshot", str(tmp_path))
    assert done.returncode == 1
    assert f"--screenshot {tmp_path}" in done.stderr


def test_replay_screenshot_draws_the_turn_asked_for(save: Path, tmp_path: Path) -> None:
    image = tmp_path / "turn-3.png"
    done = redline("replay", str(save), "--screenshot", str(image), "--turn", "3")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith(f"wrote {image}")
    size, count = png_colours(image)
    assert size == SIZE
    assert count > MANY_COLOURS
    # the picture is the control view of turn 3, as drawn here
    replay = Replay.open(save)
    app = ViewApp(replay.spec)
    try:
        reset(app)
        app.attach(ReplayController(app, replay, turn=3))
        drawn = app.screenshot(tmp_path / "here.png")
        assert pixels(pygame.image.load(str(image))) == pixels(pygame.image.load(str(drawn)))
        app.attach(ReplayController(app, replay, turn=4))
        other = app.screenshot(tmp_path / "turn-4.png")
        assert pixels(pygame.image.load(str(image))) != pixels(pygame.image.load(str(other)))
    finally:
        pygame.display.set_mode(SIZE, pygame.RESIZABLE)


@pytest.mark.parametrize("display", [False, True], ids=["no-display", "dummy-driver"])
def test_replay_view_without_a_display_says_so(save: Path, display: bool) -> None:
    done = redline("replay", str(save), "--view", display=display)
    assert done.returncode == 1
    assert (
        "error: --view needs a display; use --screenshot FILE to draw a turn without one"
        in done.stderr
    )
    assert "wrote" not in done.stdout


def test_play_without_a_display_plays_headless_and_saves_a_picture_of_the_end(
    tmp_path: Path,
) -> None:
    out = tmp_path / "game.json"
    done = redline("play", str(TUTORIAL.relative_to(ROOT)), "--out", str(out), "--seed", "3")
    assert done.returncode == 0, done.stderr
    assert (
        "No display for the map view: playing headless, every actor under its computer player"
        in done.stdout
    )
    image = out.with_suffix(".png")
    assert done.stdout.strip().endswith(f"wrote {image}")
    replay = Replay.open(out)
    replay.verify()
    assert replay.last_turn == replay.spec.turns == 6
    assert replay.state_at(replay.last_turn + 1).finished
    size, count = png_colours(image)
    assert size == SIZE
    assert count > MANY_COLOURS
