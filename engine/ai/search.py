"""The search bot: chooses its actions by playing the game forward from what it sees.

For one actor and one turn the bot

1. lists its **candidates**: holding back (no action) and up to ``candidates`` legal
   actions. With a doctrine these are the ones its doctrine would consider now (the
   legal candidates of the rules whose conditions hold on the belief state, by rule
   priority, then weight times the personality's stance multiplier), topped up, when the
   doctrine offers fewer, with other legal actions drawn with the bot's generator; without
   a doctrine, every legal action (a sample drawn with the bot's generator when there are
   more than ``candidates``);
2. plays ``rollouts`` games of ``horizon`` turns for each candidate, **from the belief
   state** of its observation (see "What a rollout knows" below): in the first turn it gives
   the candidate and its units' orders, every other actor the orders of its model bot; in
   later turns every actor, itself included, is played by its model bot: its doctrine bot
   (at the same difficulty, without blunders) where the doctrine has a plan for it, else
   the random bot;
3. scores the end of each rollout with :class:`Evaluator`, a side-aware evaluation built
   from the scenario's outcome measures and tracks, and takes the candidate with the best
   mean; then, while it may take more actions this turn (the doctrine's ``actions`` at the
   same difficulty, else :attr:`SearchLevel.actions`), the next best whose mean beats
   holding back and which is still legal alongside those already taken. The actions are
   scored one at a time against holding back, so taking several assumes their effects add
   up: a cheap approximation that keeps the cost to one round of rollouts a turn.

Its units follow the doctrine's unit behaviour (the personality's attack odds and
reinforcement; without a doctrine, a default personality), as the doctrine bot's do.

**Common random numbers.** The bot draws one seed per rollout index from its generator;
rollout ``i`` of every candidate uses the same seed, so the same dice and the same model
bots' draws, and differences between candidates come from the candidates, not from luck.
The other actors' first-turn orders do not depend on the candidate (orders are
simultaneous), so they are computed once per seed.

**Budget and determinism.** A :class:`SearchLevel` (``easy``, ``normal``, ``hard``) sets
the candidates, rollouts and horizon, so a decision costs at most ``iterations =
(candidates + 1) x rollouts x horizon`` simulated turns. Given its generator the bot is
deterministic: it reads no clock. Only when a time limit is asked for (``time_limit``) does
it read the clock, between rounds of one rollout per candidate, and stop early; its choice
then depends on the machine and its load, and a saved game may not replay the same.

**What a rollout knows.** Only the observation. Hostile units out of sight are absent,
other actors' private red lines look undeclared, and actor-scoped tracks of the other side
sit at their defaults, exactly as the belief state has them. Two hidden facts must be
filled in to play at all, and are filled from public knowledge, never from the game:

* the game's generator (blank in the belief state) is seeded from the rollout's seed;
* other actors' budgets (shown as 0) are set to their starting budgets in the scenario,
  a public prior for a reserve whose true size is unknown.

Model bots in a rollout see the rollout's state directly (it is already only this actor's
belief), without another call to :func:`~engine.core.observation.observe`, and rollouts
compute no digests: both would only cost time.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from engine.ai.bot import Bot, Decision
from engine.ai.doctrine import (
    ActorDoctrine,
    Candidate,
    Difficulty,
    DoctrineBot,
    DoctrineSet,
    Personality,
)
from engine.ai.random_bot import RandomBot
from engine.core import GameState, Order, Rules, TakeAction, legal_action_orders, resolve_turn
from engine.core.board import ESCALATION_TRACK, Board
from engine.core.compiled import Context
from engine.core.legality import OrderChecker
from engine.core.observation import Observation
from engine.core.rng import Rng, derive_seed, seed_state
from engine.core.spec import GameSpec, defender_side

# ------------------------------------------------------------------------------ budget


@dataclass(frozen=True)
class SearchLevel:
    """How hard the search bot thinks: its budget per decision."""

    id: str
    candidates: int
    """Actions considered besides holding back."""
    rollouts: int
    """Rollouts per candidate."""
    horizon: int
    """Turns per rollout (fewer when the game ends sooner)."""
    actions: int = 2
    """Actions a turn at most, when the doctrine does not say (its difficulty's ``actions``)."""
    time_limit: float | None = None
    """Seconds per decision at most; ``None`` (the default) reads no clock."""

    @property
    def iterations(self) -> int:
        """Simulated turns per decision at most: (candidates + 1) x rollouts x horizon."""
        return (self.candidates + 1) * self.rollouts * self.horizon


SEARCH_LEVELS: Mapping[str, SearchLevel] = {
    "easy": SearchLevel("easy", candidates=3, rollouts=4, horizon=2),
    "normal": SearchLevel("normal", candidates=5, rollouts=8, horizon=3),
    "hard": SearchLevel("hard", candidates=8, rollouts=16, horizon=4),
}
"""The difficulties the search bot knows, from the cheapest to the most thorough."""

DEFAULT_LEVEL = "normal"

DEFAULT_PERSONALITY = Personality("search", {}, attack_odds=2.0, reinforce=True)
"""Unit behaviour without a doctrine: the schema's default attack odds, reinforcing."""

# -------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class EvaluationWeights:
    """The named weights of :class:`Evaluator`: evaluation points per unit of each term.

    The *defender* is the side whose actors declare the red lines (the side that keeps
    credibility and whose allies need assurance); every other side is a *challenger*.
    Each term is a fact about the state; the weight says what it is worth and the sign
    whose side gains from it (the mirror image for the two sides, except escalation,
    which costs both):

    ============== ============================================ ========= ==========
    term           fact                                         defender  challenger
    ============== ============================================ ========= ==========
    credibility    the defender's credibility above its default,     +          -
                   summed over theaters (an actor-scoped track:
                   own side's mean minus the other side's)
    assurance      assurance above its default, summed over the      +          -
                   allies the outcome measures name
    decoupling     allies decoupled (``decoupled_allies``)           -          +
    escalation     peak escalation rung in the rollout, summed      -escalation -challenger
                   over theaters                                               _escalation
    deterrence     theaters whose ``deterrence_failed*`` flag is     -          +
                   set (flag outcome measures)
    territory      on-map areas the side controls, minus those it    +          +
                   controlled at the scenario's start
    strength       the side's unit strength minus the opposing       +          +
                   sides' (as far as the rollout knows them)
    budget         the actor's own budget at the end                 +          +
    ============== ============================================ ========= ==========
    """

    credibility: float = 1.0
    """Per point of credibility (a failed red line costs 15 in its theater in the default)."""
    assurance: float = 0.3
    """Per point of one ally's assurance."""
    decoupling: float = 10.0
    """Per ally decoupled."""
    escalation: float = 3.0
    """What one rung of peak escalation costs the defender."""
    challenger_escalation: float = 1.5
    """What one rung costs a challenger: less, since it chose to climb, but not nothing."""
    deterrence: float = 15.0
    """Per theater where deterrence failed (war)."""
    territory: float = 8.0
    """Per area held beyond the side's start (negative when lost)."""
    strength: float = 0.5
    """Per point of strength balance (a brigade is 3-4)."""
    budget: float = 0.25
    """Per budget point kept: money not spent is options kept beyond the horizon."""


TERMS = (
    "credibility",
    "assurance",
    "decoupling",
    "escalation",
    "deterrence",
    "territory",
    "strength",
    "budget",
)
"""The terms of the evaluation, in the order :meth:`Evaluator.breakdown` reports them."""


class Evaluator:
    """Scores a state for one actor, by the named weights of :class:`EvaluationWeights`.

    Built once per actor (slots and signs are resolved here); :meth:`score` is then a
    handful of additions, cheap enough for the end of every rollout.
    """

    def __init__(
        self, spec: GameSpec, actor: str, weights: EvaluationWeights | None = None
    ) -> None:
        self.spec = spec
        self.actor = actor
        self.weights = w = weights or EvaluationWeights()
        self.side = side = spec.actor_by_id[actor].side
        self.defender = defender_side(spec)
        self.is_defender = side == self.defender
        flip = 1.0 if self.is_defender else -1.0
        side_of = {a.id: a.side for a in spec.actors}
        opposed = set(spec.side_by_id[side].opposes) | {
            s.id for s in spec.sides if side in s.opposes
        }
        self._side_of = side_of
        self._opposed = frozenset(opposed)

        # credibility: a theater/global track belongs to the defender; an actor-scoped one
        # is compared side against side.
        self._credibility: list[tuple[int, float]] = []
        cred_id = spec.red_line_consequences.credibility_track or "credibility"
        cred = spec.track_by_id.get(cred_id)
        if cred is not None:
            if cred.scope == "actor":
                mine = [a.id for a in spec.actors if a.side == side]
                theirs = [a.id for a in spec.actors if a.side in opposed]
                for group, sign in ((mine, 1.0), (theirs, -1.0)):
                    for member in group:
                        self._credibility.append(
                            (spec.track_slots[(cred.id, member)], sign / len(group))
                        )
            else:
                self._credibility = [
                    (slot, flip)
                    for (track, _), slot in spec.track_slots.items()
                    if track == cred.id
                ]
        self._credibility_default = cred.default if cred is not None else 0.0
        self._credibility_bias = sum(s for _, s in self._credibility) * self._credibility_default

        # assurance: the allies the outcome measures name, else the defender's allies.
        self._assurance: list[tuple[int, float]] = []
        assure_id = spec.red_line_consequences.assurance_track or "assurance"
        assure = spec.track_by_id.get(assure_id)
        if assure is not None and assure.scope == "actor":
            measured = [
                o.scope
                for o in spec.outcomes
                if o.kind == "track" and o.track == assure.id and o.scope in side_of
            ]
            declarers = {r.declared_by for r in spec.red_lines}
            allies = list(dict.fromkeys(measured)) or [
                a.id for a in spec.actors if a.side == self.defender and a.id not in declarers
            ]
            self._assurance = [
                (spec.track_slots[(assure.id, ally)], 1.0 if side_of[ally] == side else -1.0)
                for ally in allies
            ]
        self._assurance_bias = sum(s for _, s in self._assurance) * (
            assure.default if assure is not None else 0.0
        )

        decoupled = spec.track_slots.get(("decoupled_allies", ""))
        self._decoupled = decoupled
        self._decoupling_sign = -flip

        self._rung_slots: tuple[int, ...] = ()
        if spec.ladder is not None and ESCALATION_TRACK in spec.track_by_id:
            self._rung_slots = tuple(
                spec.track_slots[(ESCALATION_TRACK, t.id)] for t in spec.theaters
            )
        self._escalation_weight = w.escalation if self.is_defender else w.challenger_escalation

        self._deterrence_flags = tuple(
            o.flag
            for o in spec.outcomes
            if o.kind == "flag" and o.flag.startswith("deterrence_failed")
        )
        self._deterrence_sign = -flip

        self._territory_slots = tuple(
            i
            for i, area in enumerate(spec.areas)
            if not area.offmap and spec.area_kind_by_id[area.kind].controllable
        )
        self._territory_start = sum(
            1
            for i in self._territory_slots
            if spec.areas[i].controller and side_of[spec.areas[i].controller] == side
        )
        self._budget_slot = spec.actor_index[actor]

    # ---------------------------------------------------------------- reading a state

    def rungs(self, state: GameState) -> tuple[float, ...]:
        """The escalation rung of every theater (empty without a ladder)."""
        tracks = state.tracks
        return tuple(tracks[slot] for slot in self._rung_slots)

    def breakdown(self, state: GameState, peaks: Sequence[float] | None = None) -> dict[str, float]:
        """Each term's contribution (weight x sign x fact) for this actor, by name.

        ``peaks`` is the peak rung of each theater over the stretch being scored (as from
        :meth:`rungs`); without it the current rungs are used.
        """
        w = self.weights
        tracks = state.tracks
        side = self.side
        side_of = self._side_of
        credibility = (
            sum(tracks[slot] * sign for slot, sign in self._credibility) - self._credibility_bias
        )
        assurance = (
            sum(tracks[slot] * sign for slot, sign in self._assurance) - self._assurance_bias
        )
        decoupled = tracks[self._decoupled] if self._decoupled is not None else 0.0
        rungs = self.rungs(state) if peaks is None else peaks
        flags = state.flags
        failures = sum(1 for flag in self._deterrence_flags if flag in flags)
        control = state.control
        held = sum(1 for i in self._territory_slots if control[i] and side_of[control[i]] == side)
        balance = 0.0
        opposed = self._opposed
        for unit in state.units:
            owner_side = side_of[unit.owner]
            if owner_side == side:
                balance += unit.strength
            elif owner_side in opposed:
                balance -= unit.strength
        return {
            "credibility": w.credibility * credibility,
            "assurance": w.assurance * assurance,
            "decoupling": w.decoupling * self._decoupling_sign * decoupled,
            "escalation": -self._escalation_weight * sum(rungs),
            "deterrence": w.deterrence * self._deterrence_sign * failures,
            "territory": w.territory * (held - self._territory_start),
            "strength": w.strength * balance,
            "budget": w.budget * state.budgets[self._budget_slot],
        }

    def score(self, state: GameState, peaks: Sequence[float] | None = None) -> float:
        """The evaluation of ``state`` for this actor: the sum of :meth:`breakdown`."""
        return sum(self.breakdown(state, peaks).values())


# ------------------------------------------------------------------------------ the bot


@dataclass(frozen=True)
class _Seed:
    """What rollout ``i`` of every candidate shares: the dice and the model bots' streams."""

    game: int
    bots: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class _Opening:
    """The other actors' first-turn orders for one seed, and their streams after drawing."""

    orders: tuple[Order, ...]
    streams: dict[str, int]


@dataclass
class SearchBot:
    """Plays one actor by rollouts from its observation; see the module docstring."""

    actor: str
    rules: Rules
    level: SearchLevel
    models: Mapping[str, Bot]
    """How every actor, this one included, is played inside a rollout."""
    doctrine: ActorDoctrine | None = None
    personality: Personality = DEFAULT_PERSONALITY
    max_actions: int = 0
    """Actions a turn at most; 0 means the level's ``actions``."""
    weights: EvaluationWeights = field(default_factory=EvaluationWeights)
    name: str = field(init=False)
    evaluator: Evaluator = field(init=False, repr=False)
    _units: DoctrineBot = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.name = f"search:{self.level.id}"
        self.evaluator = Evaluator(self.rules.spec, self.actor, self.weights)
        plan = self.doctrine or ActorDoctrine(self.actor, self.personality.id, ())
        # The doctrine bot's unit behaviour, reused as is: no actions, no blunders.
        self._units = DoctrineBot(plan, self.personality, Difficulty("search", 0, 0.0), self.rules)
        if self.max_actions <= 0:
            self.max_actions = self.level.actions

    @classmethod
    def for_actor(
        cls,
        rules: Rules,
        doctrine: DoctrineSet | None,
        actor: str,
        difficulty: str | None,
        time_limit: float | None = None,
        weights: EvaluationWeights | None = None,
        level: SearchLevel | None = None,
    ) -> SearchBot:
        """The search bot for ``actor`` at ``difficulty`` (``easy``, ``normal``, ``hard``).

        Without a difficulty it takes the doctrine's default when that is a search level,
        else ``normal``. The other actors are modelled by their doctrine bots at the same
        difficulty when the doctrine has it (its default otherwise), or by random bots.
        ``time_limit`` (seconds a decision) makes the choice machine-dependent; ``level``
        replaces the difficulty's budget (a benchmark's custom budget) and ``weights`` the
        evaluation's.
        """
        from engine.ai.players import UnknownBot, doctrine_bot

        if actor not in rules.spec.actor_by_id:
            raise UnknownBot(f"there is no actor '{actor}'")
        level_id = difficulty
        if level_id is None:
            fallback = doctrine.default_difficulty if doctrine else DEFAULT_LEVEL
            level_id = fallback if fallback in SEARCH_LEVELS else DEFAULT_LEVEL
        if level_id not in SEARCH_LEVELS:
            raise UnknownBot(
                f"unknown difficulty '{level_id}' for the search bot: choose "
                f"one of {', '.join(SEARCH_LEVELS)}"
            )
        level = level or SEARCH_LEVELS[level_id]
        if time_limit is not None:
            level = dataclasses.replace(level, time_limit=time_limit)
        model_level = (
            difficulty if doctrine is not None and difficulty in doctrine.difficulties else None
        )
        models: dict[str, Bot] = {}
        for other in rules.spec.actors:
            planned = doctrine_bot(rules, doctrine, other.id, model_level) if doctrine else None
            if planned is not None and planned.difficulty.blunder:
                # A model plays its doctrine without blunders: drawing a random legal action
                # enumerates every action and target, and costs as much as the rest of the
                # doctrine's decision.
                planned = DoctrineBot(
                    planned.doctrine,
                    planned.personality,
                    dataclasses.replace(planned.difficulty, blunder=0.0),
                    rules,
                )
            models[other.id] = planned if planned is not None else RandomBot()
        plan = doctrine.actors.get(actor) if doctrine else None
        personality = (
            doctrine.personalities[plan.personality]
            if doctrine is not None and plan is not None
            else DEFAULT_PERSONALITY
        )
        own = models[actor]
        actions = own.difficulty.actions if isinstance(own, DoctrineBot) else 0
        return cls(
            actor, rules, level, models, plan, personality, actions, weights or EvaluationWeights()
        )

    # ---------------------------------------------------------------------- deciding

    def decide(self, observation: Observation, rules: Rules, rng: Rng) -> Decision:
        actor = observation.actor
        if actor != self.actor:
            raise ValueError(f"this search bot plays {self.actor}, not {actor}")
        belief = observation.state
        if belief.finished:
            return Decision(())
        spec = rules.spec
        board = Board(spec, belief)
        checker = OrderChecker(rules, board)
        unit_orders, unit_reasons = self._units.unit_orders(rules, board, checker, actor)
        candidates = self._candidates(rules, belief, rng)
        if not candidates:
            return Decision(
                tuple(unit_orders), (f"{actor} holds back: no legal action", *unit_reasons)
            )
        seeds = [self._seed(rng) for _ in range(self.level.rollouts)]
        start = self._imagined_start(belief)
        options: list[TakeAction | None] = [None, *candidates]
        totals = [0.0] * len(options)
        done = self._run(rules, start, options, unit_orders, seeds, totals)
        means = [total / done for total in totals]
        hold = means[0]
        ranked = sorted(range(1, len(options)), key=lambda i: (-means[i], i))
        chosen: list[Order] = []
        reasons: list[str] = []
        final = OrderChecker(rules, Board(spec, belief))
        for index in ranked:
            if len(chosen) >= self.max_actions or means[index] <= hold:
                break
            order = options[index]
            assert order is not None
            if not final.check(order).ok:
                continue
            chosen.append(order)
            reasons.append(
                f"{actor} takes {_label(order)}: {means[index] - hold:+.1f} on its evaluation "
                f"over {done} rollouts against holding back"
            )
        if not chosen:
            best = options[ranked[0]]
            assert best is not None
            reasons.append(
                f"{actor} holds back: its best option, {_label(best)}, scored "
                f"{means[ranked[0]] - hold:+.1f} against holding back over {done} rollouts"
            )
        return Decision((*chosen, *unit_orders), (*reasons, *unit_reasons))

    # ------------------------------------------------------------------ candidates

    def _candidates(self, rules: Rules, belief: GameState, rng: Rng) -> list[TakeAction]:
        """Up to ``level.candidates`` distinct legal actions, best-ranked first."""
        limit = self.level.candidates
        if limit <= 0:
            return []
        found: list[TakeAction] = []
        if self.doctrine is not None:
            found = self._doctrine_candidates(rules, belief, rng)[:limit]
            if len(found) >= limit:
                return found
        seen = set(found)
        rest = [o for o in legal_action_orders(rules, belief, self.actor) if o not in seen]
        if len(found) + len(rest) > limit:
            rng.shuffle(rest)
        return found + rest[: limit - len(found)]

    def _doctrine_candidates(self, rules: Rules, belief: GameState, rng: Rng) -> list[TakeAction]:
        """The legal actions the doctrine would consider now, in the doctrine's order."""
        assert self.doctrine is not None
        spec = rules.spec
        actor = self.actor
        board = Board(spec, belief)
        board.rng = rng  # a doctrine's 'chance' draws from the bot's own dice
        checker = OrderChecker(rules, board)
        ctx = Context(actor=actor, theater=spec.actor_by_id[actor].theater)
        firing = self._units.firing_rules(board, ctx)
        ranked: list[tuple[int, float, int, TakeAction]] = []
        position = 0
        for rank, rule in enumerate(firing):
            factor = self.personality.stance_weights.get(rule.stance, 1.0)
            for candidate in rule.candidates:
                for target in self._targets(candidate, rules):
                    order = TakeAction(actor, candidate.action, target)
                    if checker.would_accept(order):
                        ranked.append((rank, -candidate.weight * factor, position, order))
                        position += 1
        ordered: list[TakeAction] = []
        for *_, order in sorted(ranked, key=lambda r: r[:3]):
            if order not in ordered:
                ordered.append(order)
        return ordered

    def _targets(self, candidate: Candidate, rules: Rules) -> list[str]:
        if candidate.action not in rules.spec.action_by_id:
            return []
        return DoctrineBot._targets(candidate, rules, self.actor)

    # --------------------------------------------------------------------- rollouts

    def _seed(self, rng: Rng) -> _Seed:
        value = (rng.next_u32() << 32) | rng.next_u32()
        return _Seed(
            seed_state(value),
            tuple(
                (a.id, seed_state(derive_seed(value, f"bot:{a.id}")))
                for a in self.rules.spec.actors
            ),
        )

    def _imagined_start(self, belief: GameState) -> GameState:
        """The belief state with other actors' unknown budgets set to their starting ones."""
        spec = self.rules.spec
        budgets = tuple(
            value if a.id == self.actor else a.budget
            for a, value in zip(spec.actors, belief.budgets, strict=True)
        )
        return dataclasses.replace(belief, budgets=budgets)

    def _run(
        self,
        rules: Rules,
        start: GameState,
        options: Sequence[TakeAction | None],
        unit_orders: Sequence[Order],
        seeds: Sequence[_Seed],
        totals: list[float],
    ) -> int:
        """Add each option's rollout scores to ``totals``; the rollouts done per option.

        One round is one rollout of every option with the same seed; with a time limit
        the clock is read between rounds, and at least one round is always played.
        """
        limit = self.level.time_limit
        began = time.perf_counter() if limit is not None else 0.0
        done = 0
        for seed in seeds:
            opening = self._opening(rules, start, seed)
            for index, option in enumerate(options):
                first = (*unit_orders, *opening.orders)
                if option is not None:
                    first = (option, *first)
                totals[index] += self._rollout(rules, start, seed, first, opening.streams)
            done += 1
            if limit is not None and time.perf_counter() - began >= limit:
                break
        return done

    def _opening(self, rules: Rules, start: GameState, seed: _Seed) -> _Opening:
        """The other actors' first-turn orders on this seed: the same for every option."""
        state = dataclasses.replace(start, rng=seed.game)
        orders: list[Order] = []
        streams: dict[str, int] = {}
        for actor, stream in seed.bots:
            if actor == self.actor:
                streams[actor] = stream
                continue
            generator = Rng(stream)
            decision = self.models[actor].decide(Observation(actor, state, ()), rules, generator)
            orders.extend(decision.orders)
            streams[actor] = generator.state
        return _Opening(tuple(orders), streams)

    def _rollout(
        self,
        rules: Rules,
        start: GameState,
        seed: _Seed,
        first: tuple[Order, ...],
        streams: Mapping[str, int],
    ) -> float:
        """Play ``horizon`` turns from ``start`` with ``first`` as turn one; the score."""
        evaluator = self.evaluator
        state = dataclasses.replace(start, rng=seed.game)
        generators = {actor: Rng(stream) for actor, stream in streams.items()}
        peaks = list(evaluator.rungs(state))
        orders: Sequence[Order] = first
        for step in range(self.level.horizon):
            if step:
                turn_orders: list[Order] = []
                for actor, model in self.models.items():
                    decision = model.decide(Observation(actor, state, ()), rules, generators[actor])
                    turn_orders.extend(decision.orders)
                orders = turn_orders
            state = resolve_turn(rules, state, orders).state
            for i, rung in enumerate(evaluator.rungs(state)):
                if rung > peaks[i]:
                    peaks[i] = rung
            if state.finished:
                break
        return evaluator.score(state, peaks)


def _label(order: TakeAction) -> str:
    return f"{order.action} ({order.target})" if order.target else order.action
