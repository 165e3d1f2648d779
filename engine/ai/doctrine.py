"""Scripted doctrine: prioritised, weighted rules over what an actor sees.

A doctrine, written in YAML per actor, is a list of rules. Each rule has a condition over
the actor's observation (the closed vocabulary of the rules language, evaluated on the
belief state), a priority, a stance (aggressive, defensive or neutral) and candidate
actions with weights. Each turn the bot walks the rules from the highest priority down;
every rule whose condition holds offers its legal candidates, and the bot draws one of them
by weight, until it has taken as many actions as its difficulty allows. A rule's
``explain`` text, with ``{track.scope}`` filled in from the observation, is the bot's
one-line reason. Conditions see the belief state; ``happened`` refers to the events of the
last turn the actor saw, and ``chance`` draws from the bot's own generator.

Personalities (cautious, opportunist, risk-acceptant...) are parameter sets: a multiplier
per stance, which below 1 is the chance that the bot follows a firing rule of that stance
rather than passing to the next one, and the odds at which the actor's units attack.
Difficulty sets how many actions a turn the bot takes and how often it blunders (takes a
random legal action).

Units follow the personality: attack where the visible odds reach ``attack_odds``; else,
with ``reinforce``, a unit on the map moves toward the area under the heaviest visible
threat among those its own actor or a coalition partner holds. Units in off-map boxes are
reserves: only actions send them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from engine.ai.bot import Decision
from engine.ai.random_bot import attack_target
from engine.core import Attack, Move, Order, Rules, TakeAction, reachable
from engine.core.board import Board
from engine.core.compiled import Context, Predicate, compile_condition
from engine.core.language import Condition
from engine.core.legality import OrderChecker, action_targets, action_terms_for
from engine.core.observation import Observation
from engine.core.rng import Rng

Stance = str
"""``aggressive``, ``defensive`` or ``neutral``."""


@dataclass(frozen=True)
class Personality:
    id: str
    stance_weights: Mapping[str, float]
    attack_odds: float
    reinforce: bool = True


@dataclass(frozen=True)
class Difficulty:
    id: str
    actions: int
    """Actions a turn at most."""
    blunder: float
    """Chance that a chosen action is replaced by a random legal one."""


@dataclass(frozen=True)
class Candidate:
    action: str
    target: str = ""
    """An id, ``any`` (any legal target) or empty for untargeted actions."""
    weight: float = 1.0


@dataclass(frozen=True)
class DoctrineRule:
    id: str
    when: Condition
    candidates: tuple[Candidate, ...]
    priority: int = 0
    stance: Stance = "neutral"
    explain: str = ""


@dataclass(frozen=True)
class ActorDoctrine:
    actor: str
    personality: str
    rules: tuple[DoctrineRule, ...]


@dataclass(frozen=True)
class DoctrineSet:
    """Every actor's doctrine in a scenario, with the personalities and difficulties."""

    id: str
    personalities: Mapping[str, Personality]
    difficulties: Mapping[str, Difficulty]
    actors: Mapping[str, ActorDoctrine]
    default_difficulty: str = "normal"


_FIELD = re.compile(r"\{([a-z][a-z0-9_]*)(?:\.([a-z][a-z0-9_]*))?\}")


def explain(template: str, board: Board) -> str:
    """Fill ``{track}`` and ``{track.scope}`` with values the actor can see; nothing else."""

    def value(match: re.Match[str]) -> str:
        key = (match.group(1), match.group(2) or "")
        slot = board.spec.track_slots.get(key)
        return f"{round(board.tracks[slot], 1):g}" if slot is not None else match.group(0)

    return _FIELD.sub(value, template)


@dataclass
class DoctrineBot:
    """Plays one actor by its doctrine, at a personality and a difficulty."""

    doctrine: ActorDoctrine
    personality: Personality
    difficulty: Difficulty
    rules: Rules
    name: str = field(init=False)
    _conditions: dict[str, Predicate] = field(init=False, repr=False)
    _options: dict[str, tuple[tuple[TakeAction, float], ...]] = field(init=False, repr=False)
    """Each rule's candidate orders with their weights, less those the rules never allow."""
    _improvisations: tuple[TakeAction, ...] = field(init=False, repr=False)
    """Every action order the actor could ever give: what a blunder draws from."""

    def __post_init__(self) -> None:
        self.name = f"doctrine:{self.personality.id}:{self.difficulty.id}"
        self._conditions = {
            rule.id: compile_condition(self.rules.spec, rule.when) for rule in self.doctrine.rules
        }
        actor = self.doctrine.actor
        self._options = {
            rule.id: _open_to(
                self.rules,
                [
                    (TakeAction(actor, candidate.action, target), candidate.weight)
                    for candidate in rule.candidates
                    for target in self._targets(candidate, self.rules, actor)
                ],
            )
            for rule in self.doctrine.rules
        }
        role = self.rules.spec.actor_by_id[actor].role
        self._improvisations = tuple(
            order
            for order, _ in _open_to(
                self.rules,
                [
                    (TakeAction(actor, a.id, target), 1.0)
                    for a in self.rules.actions_by_role.get(role, ())
                    for target in action_targets(self.rules.spec, a, actor)
                ],
            )
        )

    def decide(self, observation: Observation, rules: Rules, rng: Rng) -> Decision:
        actor = observation.actor
        board = Board(rules.spec, observation.state, observation.index)
        board.rng = rng
        board.events = list(observation.events)
        checker = OrderChecker(rules, board)
        ctx = Context(actor=actor, theater=rules.spec.actor_by_id[actor].theater)
        orders: list[Order] = []
        reasons: list[str] = []
        for rule in self.firing_rules(board, ctx):
            if len(orders) >= self.difficulty.actions:
                break
            if not self._acts_on(rule, rng):
                continue
            order = _draw_legal(self._options[rule.id], checker, rng)
            if order is None:
                continue
            if rng.chance(self.difficulty.blunder):
                order = self._blunder(checker, rng) or order
                reason = f"{rules.spec.actor_by_id[actor].name} improvises: {order.text()}"
            else:
                reason = explain(rule.explain, board) if rule.explain else order.text()
            checker.check(order)
            orders.append(order)
            reasons.append(reason)
        unit_orders, unit_reasons = self.unit_orders(rules, board, checker, actor)
        return Decision(tuple(orders + unit_orders), tuple(reasons + unit_reasons))

    @staticmethod
    def _targets(candidate: Candidate, rules: Rules, actor: str) -> list[str]:
        if candidate.target != "any":
            return [candidate.target]
        return action_targets(rules.spec, rules.spec.action_by_id[candidate.action], actor)

    def _acts_on(self, rule: DoctrineRule, rng: Rng) -> bool:
        """Whether the personality follows a firing rule this turn.

        A stance multiplier of 1 or more always follows; below 1 it is the chance of
        following, so a cautious actor (aggressive 0.5) passes over half its aggressive
        rules and goes on to the next rule down.
        """
        factor = self.personality.stance_weights.get(rule.stance, 1.0)
        return factor >= 1.0 or rng.random() < factor

    def _blunder(self, checker: OrderChecker, rng: Rng) -> TakeAction | None:
        """Any action the actor could legally order now, each equally likely: drawn as
        :func:`_draw_legal` draws, without weights."""
        remaining = list(self._improvisations)
        while remaining:
            index = rng.below(len(remaining))
            order = remaining[index]
            if checker.would_accept(order):
                return order
            remaining[index] = remaining[-1]
            remaining.pop()
        return None

    def firing_rules(self, board: Board, ctx: Context) -> list[DoctrineRule]:
        """The rules whose conditions hold now, highest priority first (then by id)."""
        return sorted(
            (r for r in self.doctrine.rules if self._conditions[r.id](board, ctx)),
            key=lambda r: (-r.priority, r.id),
        )

    def unit_orders(
        self, rules: Rules, board: Board, checker: OrderChecker, actor: str
    ) -> tuple[list[Order], list[str]]:
        spec = rules.spec
        orders: list[Order] = []
        reasons: list[str] = []
        threat = _threatened_areas(rules, board, actor, _partners(rules, actor))
        for unit in board.units_of(actor):
            unit_type = spec.unit_type_by_id[unit.unit_type]
            target = attack_target(
                rules,
                board,
                unit.area,
                unit.strength,
                actor,
                unit_type.range,
                self.personality.attack_odds,
            )
            attack = Attack(actor, target, (unit.id,))
            if target and checker.would_accept(attack):
                checker.check(attack)
                orders.append(attack)
                reasons.append(f"{unit.id} attacks {target}: the odds favour it")
                continue
            if (
                not self.personality.reinforce
                or unit.area in threat
                or not threat
                or spec.area_by_id[unit.area].offmap
            ):
                continue
            options = [a for a in reachable(rules, board, unit) if a in threat]
            if not options:
                continue
            destination = max(options, key=lambda a: (threat[a], a))
            move = Move(actor, unit.id, destination)
            if checker.would_accept(move):
                checker.check(move)
                orders.append(move)
                reasons.append(
                    f"{unit.id} reinforces {destination}: hostile forces "
                    f"{threat[destination]:g} strong stand next to it"
                )
        return orders, reasons


def _draw_legal(
    options: tuple[tuple[TakeAction, float], ...], checker: OrderChecker, rng: Rng
) -> TakeAction | None:
    """One of the options that are legal now, drawn by weight, or None if none is.

    Draws among all the options and checks only the one drawn: if it is not legal now it is
    put aside and the draw is made again among the rest.  Each legal option comes out with
    its weight's share of the legal options' total, as if they had all been checked first,
    but a turn checks a few options instead of every one (an actor has hundreds).
    """
    remaining = list(options)
    total = sum(weight for _, weight in remaining)
    while remaining:
        pick = rng.random() * total
        chosen = len(remaining) - 1
        for index, (_, weight) in enumerate(remaining):
            pick -= weight
            if pick < 0:
                chosen = index
                break
        order = remaining.pop(chosen)[0]
        if checker.would_accept(order):
            return order
        total = sum(weight for _, weight in remaining)
    return None


def _open_to(
    rules: Rules, options: list[tuple[TakeAction, float]]
) -> tuple[tuple[TakeAction, float], ...]:
    """The options the rules allow at some moment: the actor may take the action and the
    target suits it (what depends on the moment is checked each turn)."""
    return tuple(
        (order, weight)
        for order, weight in options
        if action_terms_for(rules, order.actor, order.action, order.target).allowed
    )


def _partners(rules: Rules, actor: str) -> frozenset[str]:
    """The actor and everyone who shares a coalition with it."""
    members = {m for c in rules.spec.coalitions if actor in c.members for m in c.members}
    return frozenset(members | {actor})


def _threatened_areas(
    rules: Rules, board: Board, actor: str, partners: frozenset[str]
) -> dict[str, float]:
    """On-map areas held by ``partners`` and the visible hostile strength next to each."""
    spec = rules.spec
    threat: dict[str, float] = {}
    for area in spec.areas:
        holder = board.controller(area.id)
        if area.offmap or holder not in partners:
            continue
        pressure = board.pressure_on(area.id, actor)
        if pressure:
            threat[area.id] = pressure
    return threat
