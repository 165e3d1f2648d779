"""How the doctrine bot draws its actions: by weight among the legal options, uniformly
among the legal improvisations, from option lists that hold exactly the orders the rules
could ever allow, and the same way every time for the same generator.

- ``_draw_legal`` returns only orders the checker accepts (None when it accepts none),
  each legal option with its weight's share of the legal options' total weight.
- ``DoctrineBot._blunder`` returns only legal improvisations, each about equally often.
- ``DoctrineBot._options`` and ``_improvisations`` hold only orders whose terms are
  allowed, and every allowed order a rule's candidates name.
- Every actor of the default scenario decides the same on turn 1 for the same seed.

The frequency tests draw 4000 times, each with its own seeded generator, and allow five
binomial standard errors around the expected count: a correct draw fails one option's
check with probability below 1e-6, and a bias of a few percent of the total fails it.
"""

from __future__ import annotations

import importlib
import math
from collections import Counter
from collections.abc import Mapping, Sequence

from engine.ai.doctrine import Candidate, DoctrineBot, _draw_legal
from engine.content.loader import LoadedGame
from engine.core import (
    GameSpec,
    GameState,
    Order,
    OrderCode,
    Rules,
    TakeAction,
    initial_state,
    legal_action_orders,
    parse_order,
)
from engine.core.board import Board
from engine.core.legality import OrderChecker, action_terms_for
from engine.core.observation import Observer
from engine.core.rng import Rng
from engine.runner import bot_rng

# The doctrine tests' helpers, imported by name at run time: mypy, given this file as
# "ai.test_doctrine_draws", would otherwise meet tests/core/ (which they import) under two
# module names when it is given a file of tests/core/ too.
_SUPPORT = importlib.import_module("tests.ai.doctrine_support")

DRAWS = 4000
SIGMAS = 5.0


def default_game() -> LoadedGame:
    """The default scenario with its doctrine, loaded once per session."""
    game: LoadedGame = _SUPPORT.default_game()
    return game


def default_rules() -> Rules:
    """The default scenario's compiled rules, built once per session."""
    rules: Rules = _SUPPORT.default_rules()
    return rules


def bot_for(actor: str, difficulty: str = "hard") -> DoctrineBot:
    """A new doctrine bot for ``actor`` of the default scenario."""
    bot: DoctrineBot = _SUPPORT.bot_for(actor, difficulty)
    return bot


def position(spec: GameSpec, *, budgets: Mapping[str, float]) -> GameState:
    """The default scenario's opening state with the given budgets."""
    state: GameState = _SUPPORT.position(spec, budgets=budgets)
    return state


def within_binomial_error(
    counts: Counter[TakeAction], shares: Mapping[TakeAction, float], draws: int
) -> None:
    """Each order came out ``shares[order] * draws`` times, give or take five standard
    errors of a binomial count, and nothing else came out."""
    assert set(counts) <= set(shares), set(counts) - set(shares)
    for order, share in shares.items():
        expected = share * draws
        sigma = math.sqrt(draws * share * (1.0 - share))
        assert abs(counts[order] - expected) <= SIGMAS * sigma, (
            order,
            counts[order],
            expected,
            sigma,
        )


def poland_checker(rules: Rules) -> OrderChecker:
    """Poland with 1.5 to spend, 0.5 of it already spent on strategic messaging: a checker
    on which some of Poland's orders are legal and others are not for every reason."""
    spec = rules.spec
    checker = OrderChecker(rules, Board(spec, position(spec, budgets={"poland": 1.5})))
    assert checker.check(parse_order("poland: act strategic_messaging europe")).ok
    return checker


LEGAL: tuple[tuple[str, float], ...] = (
    ("poland: act sanctions russia", 1.0),
    ("poland: act export_controls china", 2.0),
    ("poland: act joint_statement nato", 3.0),  # 0.53 with coordination
    ("poland: act intelligence_sharing nato", 0.5),
    ("poland: act unsc_resolution north_korea", 1.5),
    ("poland: act sanctions russia", 1.0),  # listed twice: its weights add up
)
ILLEGAL: tuple[tuple[str, float, OrderCode], ...] = (
    ("poland: act strategic_messaging asia", 4.0, OrderCode.ALREADY_ORDERED),
    ("poland: act summit nato", 5.0, OrderCode.NO_BUDGET),  # 1.07 with coordination
    ("poland: act cross_theater_deployment japan", 3.0, OrderCode.NO_BUDGET),
    ("poland: act sanctions uk", 2.0, OrderCode.PRECONDITION),
    ("poland: act diplomatic_expulsions nato", 2.0, OrderCode.PRECONDITION),
    ("poland: act snap_exercise", 1.0, OrderCode.NOT_PERMITTED),
    ("poland: act joint_statement us_japan_rok", 1.0, OrderCode.NOT_PERMITTED),
    ("poland: act sanctions baltic_states", 1.0, OrderCode.BAD_TARGET),
)


def _order(text: str) -> TakeAction:
    order = parse_order(text)
    assert isinstance(order, TakeAction)
    return order


def test_the_draw_situation_is_as_described() -> None:
    """The checker accepts every option meant to be legal and refuses each of the others
    for the reason meant."""
    checker = poland_checker(default_rules())
    for text, _ in LEGAL:
        assert checker.would_accept(_order(text)), text
    for text, _, code in ILLEGAL:
        assert checker.check(_order(text)).code is code, text
    assert checker.board.budget("poland") - checker.spent["poland"] == 1.0


def test_draw_legal_picks_legal_options_by_weight() -> None:
    """Over many draws each legal option comes out with its weight's share of the legal
    options' total (an order listed twice with both its weights), an illegal one never,
    whatever its weight; drawing neither gives an order nor spends anything."""
    checker = poland_checker(default_rules())
    options: list[tuple[TakeAction, float]] = []
    for index, (text, weight) in enumerate(LEGAL):
        options.append((_order(text), weight))
        if index < len(ILLEGAL):  # illegal options among the legal ones, not at the end
            text, weight, _ = ILLEGAL[index]
            options.append((_order(text), weight))
    options.extend((_order(text), weight) for text, weight, _ in ILLEGAL[len(LEGAL) :])
    assert len(options) == len(LEGAL) + len(ILLEGAL)
    legal_total = sum(weight for _, weight in LEGAL)
    shares: dict[TakeAction, float] = {}
    for text, weight in LEGAL:
        shares[_order(text)] = shares.get(_order(text), 0.0) + weight / legal_total
    assert len(shares) == len(LEGAL) - 1

    counts: Counter[TakeAction] = Counter()
    for seed in range(DRAWS):
        order = _draw_legal(tuple(options), checker, Rng.from_seed(seed))
        assert order is not None
        assert checker.would_accept(order)
        counts[order] += 1
    within_binomial_error(counts, shares, DRAWS)
    assert set(counts) == set(shares)
    assert checker.ordered_actions == {("poland", "strategic_messaging")}
    assert checker.spent == {"poland": 0.5}


def test_draw_legal_gives_none_when_nothing_is_legal() -> None:
    """With no legal option (or none at all) there is nothing to draw, whatever the
    generator gives."""
    checker = poland_checker(default_rules())
    illegal = tuple((_order(text), weight) for text, weight, _ in ILLEGAL)
    for seed in range(50):
        assert _draw_legal(illegal, checker, Rng.from_seed(seed)) is None
        assert _draw_legal((), checker, Rng.from_seed(seed)) is None
    only = ((_order(LEGAL[0][0]), 0.25), *illegal)
    for seed in range(50):
        assert _draw_legal(only, checker, Rng.from_seed(seed)) == _order(LEGAL[0][0])


def test_blunders_draw_each_legal_improvisation_equally_often() -> None:
    """A blunder is any improvisation the checker accepts now, each as likely as the next,
    never one it refuses; with none legal there is no blunder."""
    bot = bot_for("poland", "easy")
    checker = poland_checker(bot.rules)
    improvisations = bot._improvisations
    legal = [order for order in improvisations if checker.would_accept(order)]
    assert 5 <= len(legal) < len(improvisations)
    assert len(set(legal)) == len(legal)

    counts: Counter[TakeAction] = Counter()
    for seed in range(DRAWS):
        order = bot._blunder(checker, Rng.from_seed(seed))
        assert order is not None
        assert checker.would_accept(order)
        counts[order] += 1
    within_binomial_error(counts, dict.fromkeys(legal, 1.0 / len(legal)), DRAWS)
    assert set(counts) == set(legal)
    assert bot._improvisations == improvisations

    broke = OrderChecker(
        bot.rules, Board(bot.rules.spec, position(bot.rules.spec, budgets={"poland": 0.0}))
    )
    assert not any(broke.would_accept(order) for order in improvisations)
    for seed in range(20):
        assert bot._blunder(broke, Rng.from_seed(seed)) is None


def _named_targets(spec: GameSpec, actor: str, candidate: Candidate) -> list[str]:
    """Every target a candidate names: its own, or for ``any`` every id of the kind its
    action targets (other actors, areas, theaters, coalitions, the actor's red lines)."""
    if candidate.target != "any":
        return [candidate.target]
    kind = spec.action_by_id[candidate.action].target
    by_kind: dict[str, list[str]] = {
        "actor": [a.id for a in spec.actors if a.id != actor],
        "area": [a.id for a in spec.areas],
        "theater": [t.id for t in spec.theaters],
        "coalition": [c.id for c in spec.coalitions],
        "red_line": [r.id for r in spec.red_lines if r.declared_by == actor],
    }
    return by_kind.get(kind, [""])


def test_options_hold_exactly_the_allowed_orders_rules_name() -> None:
    """For every actor and rule, the rule's options are the orders its candidates name
    (targets enumerated for ``any``) whose terms are allowed, with the candidates'
    weights; an order whose terms are not allowed is never among them."""
    rules = default_rules()
    spec = rules.spec
    game = default_game()
    assert game.doctrine is not None
    offered = dropped = 0
    for actor, plan in game.doctrine.actors.items():
        bot = bot_for(actor)
        assert set(bot._options) == {rule.id for rule in plan.rules}
        for rule in plan.rules:
            named = [
                (TakeAction(actor, candidate.action, target), candidate.weight)
                for candidate in rule.candidates
                for target in _named_targets(spec, actor, candidate)
            ]
            allowed = [
                (order, weight)
                for order, weight in named
                if action_terms_for(rules, actor, order.action, order.target).allowed
            ]
            options = bot._options[rule.id]
            assert Counter(options) == Counter(allowed), (actor, rule.id)
            for order, _ in options:
                assert action_terms_for(rules, actor, order.action, order.target).allowed
            offered += len(options)
            dropped += len(named) - len(allowed)
    assert offered > 0
    assert dropped > 0  # some named orders are never allowed (oneself, a foreign coalition)


def test_improvisations_are_every_allowed_order_of_the_role() -> None:
    """An actor's improvisations are the orders of every action open to its role, on
    every target of the action's kind, whose terms are allowed: no duplicates, and every
    order that is legal on turn 1 is among them, drawing one of its own red lines too."""
    rules = default_rules()
    spec = rules.spec
    state = initial_state(spec)
    for actor in spec.actors:
        bot = bot_for(actor.id)
        improvisations = bot._improvisations
        assert len(set(improvisations)) == len(improvisations) > 0
        for order in improvisations:
            assert order.actor == actor.id
            assert action_terms_for(rules, actor.id, order.action, order.target).allowed
        allowed: set[TakeAction] = set()
        for action in rules.actions_by_role[actor.role]:
            for target in _named_targets(spec, actor.id, Candidate(action.id, "any")):
                if action_terms_for(rules, actor.id, action.id, target).allowed:
                    allowed.add(TakeAction(actor.id, action.id, target))
        assert set(improvisations) == allowed, actor.id
        legal = legal_action_orders(rules, state, actor.id)
        assert legal
        assert set(legal) <= set(improvisations)
        if actor.id == "us":
            # The two lines the default scenario holds in reserve can be drawn on turn 1.
            assert {o.target for o in legal if o.action == "draw_red_line"} == {
                "taiwan_explicit",
                "philippines_article4",
            }


Decided = tuple[tuple[Order, ...], tuple[str, ...], int]
"""A decision's orders and reasons, and the state its generator was left in."""


def _decide_all(seed: int, difficulty: str) -> dict[str, Decided]:
    """Every actor's turn-1 decision, with new bots and a new observer."""
    spec = default_game().spec
    observer = Observer(spec, initial_state(spec))
    decided: dict[str, Decided] = {}
    for actor in spec.actors:
        rng = bot_rng(seed, actor.id, 1)
        bot = bot_for(actor.id, difficulty)
        decision = bot.decide(observer.of(actor.id), default_rules(), rng)
        decided[actor.id] = (decision.orders, decision.reasons, rng.state)
    return decided


def test_the_same_seed_gives_the_same_decisions() -> None:
    """For every actor on turn 1, the same seed gives the same orders, reasons and
    generator state, with new bots and observations or with the same ones asked again
    (their kept answers warm); another seed changes some decision."""
    spec = default_game().spec
    actors: Sequence[str] = [a.id for a in spec.actors]
    improvised = 0
    for difficulty in ("easy", "normal"):
        first = _decide_all(3, difficulty)
        assert first == _decide_all(3, difficulty)
        assert set(first) == set(actors)
        assert sum(len(orders) for orders, _, _ in first.values()) > 0
        improvised += sum(
            "improvises" in reason for _, reasons, _ in first.values() for reason in reasons
        )

        observer = Observer(spec, initial_state(spec))
        for actor in actors:
            bot, seen = bot_for(actor, difficulty), observer.of(actor)
            for _ in range(2):
                rng = bot_rng(3, actor, 1)
                decision = bot.decide(seen, default_rules(), rng)
                assert (decision.orders, decision.reasons, rng.state) == first[actor], actor
        assert _decide_all(4, difficulty) != first
    assert improvised > 0  # blunders were drawn too
