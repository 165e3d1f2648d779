"""Choosing the computer player for each actor: doctrine, search or random.

The scenario says who plays each actor (``controller``); the command line may override it
per actor and set the difficulty. An actor meant for a human is played by its doctrine in
headless games; an actor without a doctrine is played at random.
"""

from __future__ import annotations

from collections.abc import Mapping

from engine.ai.bot import Bot
from engine.ai.doctrine import DoctrineBot, DoctrineSet
from engine.ai.random_bot import RandomBot
from engine.core import Rules

BOT_KINDS = ("doctrine", "search", "random")


class UnknownBot(ValueError):
    """A bot kind, difficulty or personality that does not exist."""


def doctrine_bot(
    rules: Rules,
    doctrine: DoctrineSet,
    actor: str,
    difficulty: str | None = None,
    personality: str | None = None,
) -> DoctrineBot | None:
    """The doctrine bot for ``actor``, or None when the doctrine has no plan for it."""
    plan = doctrine.actors.get(actor)
    if plan is None:
        return None
    level = difficulty or doctrine.default_difficulty
    if level not in doctrine.difficulties:
        raise UnknownBot(
            f"unknown difficulty '{level}': choose one of {', '.join(doctrine.difficulties)}"
        )
    character = personality or plan.personality
    if character not in doctrine.personalities:
        raise UnknownBot(
            f"unknown personality '{character}': choose one of {', '.join(doctrine.personalities)}"
        )
    return DoctrineBot(plan, doctrine.personalities[character], doctrine.difficulties[level], rules)


def make_bots(
    rules: Rules,
    doctrine: DoctrineSet | None,
    controllers: Mapping[str, str] | None = None,
    difficulty: str | None = None,
) -> dict[str, Bot]:
    """A bot for every actor: ``controllers`` (actor to kind) overrides the scenario."""
    from engine.ai.search import SearchBot

    bots: dict[str, Bot] = {}
    for actor in rules.spec.actors:
        kind = (controllers or {}).get(actor.id, actor.controller)
        if kind == "human":
            kind = "doctrine"
        if kind not in BOT_KINDS:
            raise UnknownBot(
                f"unknown bot '{kind}' for {actor.id}: choose one of {', '.join(BOT_KINDS)}"
            )
        planned = doctrine_bot(rules, doctrine, actor.id, difficulty) if doctrine else None
        if kind == "search":
            bots[actor.id] = SearchBot.for_actor(rules, doctrine, actor.id, difficulty)
        elif kind == "doctrine" and planned is not None:
            bots[actor.id] = planned
        else:
            bots[actor.id] = RandomBot()
    return bots
