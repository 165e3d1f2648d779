"""Options several ``redline`` commands share, in one place so they read alike."""

from __future__ import annotations

from pathlib import Path

import typer

SEED_OPTION = typer.Option(
    help="Game seed, 0 to 2**64-1 (default: the scenario's).", min=0, max=2**64 - 1
)
SAVES = Path("saves")
"""Where ``redline play`` keeps games when no --out is given."""

BOT_OPTION = typer.Option(
    "--bot", help="ACTOR=KIND: play an actor by 'doctrine', 'search' or 'random'."
)
DIFFICULTY_OPTION = typer.Option(help="Doctrine difficulty, e.g. easy, normal, hard.")
