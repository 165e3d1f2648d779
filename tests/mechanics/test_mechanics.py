"""One test per mechanism of red lines, escalation, triggers, coalitions and linkage.

Each test plays the two-theater test scenario (``tests/data/two_theaters.yaml``) and quotes,
in its docstring, the sentence of the module docstring whose rule it checks.  Expected
numbers are worked out by hand from the test ruleset's parameters.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.content import check_paths, load_game
from engine.core import (
    GameSpec,
    GameState,
    Rules,
    TurnResult,
    initial_state,
    parse_order,
    resolve_turn,
)
from engine.core import language as lang
from engine.core.board import Board
from engine.core.coalitions import coordination_cost, divergence, joint_terms
from engine.core.compiled import Context, compile_condition
from engine.core.events import Event
from engine.core.state import budget_of, track_value

DATA = Path(__file__).resolve().parents[1] / "data"
SCENARIO = DATA / "two_theaters.yaml"
RULESET = DATA / "two_theaters_rules.yaml"


@pytest.fixture(scope="module")
def spec() -> GameSpec:
    return load_game(SCENARIO).spec


@pytest.fixture(scope="module")
def rules(spec: GameSpec) -> Rules:
    return Rules(spec)


@pytest.fixture(scope="module")
def start(spec: GameSpec) -> GameState:
    return initial_state(spec)


# ----------------------------------------------------------------------------- helpers


def with_flags(state: GameState, *flags: str) -> GameState:
    return dataclasses.replace(state, flags=tuple(sorted(set(state.flags) | set(flags))))


def play(rules: Rules, state: GameState, *orders: str) -> TurnResult:
    return resolve_turn(rules, state, [parse_order(text) for text in orders])


def kinds(events: Iterable[Event], kind: str) -> list[Event]:
    return [e for e in events if e.kind == kind]


def red_line_steps(events: Iterable[Event], red_line: str) -> list[str]:
    return [e.status for e in kinds(events, "red_line") if e.red_line == red_line]  # type: ignore[attr-defined]


def fired(events: Iterable[Event]) -> list[str]:
    return [e.trigger for e in kinds(events, "trigger_fired")]  # type: ignore[attr-defined]


def value(spec: GameSpec, state: GameState, track: str, scope: str = "") -> float:
    return track_value(spec, state, track, scope)


# ----------------------------------------------------------------------------- red lines


def test_red_line_crossed_then_enforced(spec: GameSpec, rules: Rules, start: GameState) -> None:
    """ "taking any of the ``response`` actions after the crossing *enforces* it" and
    "Enforcing or failing moves credibility (fully in the red line's theater, partly in the
    others) and the assurance of every other actor on the declaring side, weighted by that
    actor's threat perception of the violator" (engine.core.redlines)."""
    state = with_flags(start, "europe_crossed")
    # A strike in the same turn but before the crossing (military phase) is not a response.
    first = play(rules, state, "us: act strike")
    assert red_line_steps(first.events, "europe_line") == ["crossed"]
    crossed = kinds(first.events, "red_line")[0]
    assert crossed.actor == "russia"  # type: ignore[attr-defined]
    second = play(rules, first.state, "us: act strike")
    assert red_line_steps(second.events, "europe_line") == ["enforced"]
    after = second.state
    assert value(spec, after, "credibility", "europe") == pytest.approx(60.0)  # +10, its theater
    assert value(spec, after, "credibility", "asia") == pytest.approx(55.0)  # +10 * 0.5
    assert value(spec, after, "assurance", "poland") == pytest.approx(60.0)  # +10 * 1.0
    assert value(spec, after, "assurance", "japan") == pytest.approx(53.0)  # +10 * 0.3
    assert value(spec, after, "assurance", "us") == pytest.approx(50.0)  # the declarer itself
    # Settled lines stay settled: nothing more happens on later turns.
    third = play(rules, after, "us: act strike")
    assert red_line_steps(third.events, "europe_line") == []


def test_red_line_fails_when_window_closes(spec: GameSpec, rules: Rules, start: GameState) -> None:
    """ "when the window closes at the end of turn ``crossed + window`` without one it has
    *failed*" (engine.core.redlines)."""
    first = play(rules, with_flags(start, "europe_crossed"))
    assert red_line_steps(first.events, "europe_line") == ["crossed"]
    second = play(rules, first.state)
    failed = [e for e in kinds(second.events, "red_line") if e.red_line == "europe_line"]  # type: ignore[attr-defined]
    assert [e.status for e in failed] == ["failed"]  # type: ignore[attr-defined]
    assert failed[0].turn == 2 and failed[0].phase == "end"
    after = second.state
    assert value(spec, after, "credibility", "europe") == pytest.approx(30.0)  # -20
    assert value(spec, after, "credibility", "asia") == pytest.approx(40.0)  # -20 * 0.5
    assert value(spec, after, "assurance", "poland") == pytest.approx(40.0)  # -10 * 1.0
    assert value(spec, after, "assurance", "japan") == pytest.approx(47.0)  # -10 * 0.3


def test_red_line_expires(rules: Rules, start: GameState) -> None:
    """ "An armed line lapses (*expired*) after ``expires_after`` turns" (engine.core.redlines)."""
    state = start
    steps: list[tuple[int, str]] = []
    for _ in range(4):
        result = play(rules, state)
        steps += [(state.turn, s) for s in red_line_steps(result.events, "lapsing_line")]
        state = result.state
    assert steps == [(3, "expired")]  # armed on turn 1, expires_after 2


def test_red_line_retired_by_effect(rules: Rules, start: GameState) -> None:
    """ "An armed line ... can be withdrawn (*retired*)" (engine.core.redlines): a
    ``retire_red_line`` effect withdraws it and it can no longer be crossed."""
    first = play(rules, start, "us: act withdraw")
    assert red_line_steps(first.events, "europe_line") == ["retired"]
    second = play(rules, with_flags(first.state, "europe_crossed"))
    assert red_line_steps(second.events, "europe_line") == []


def test_ambiguous_red_line_halves_effects(spec: GameSpec, rules: Rules, start: GameState) -> None:
    """ "ambiguous red lines move everything less" (engine.core.redlines): by the ruleset's
    ``ambiguous_factor`` (0.5 here)."""
    first = play(rules, with_flags(start, "asia_crossed"))
    second = play(rules, first.state, "us: act strike")
    assert red_line_steps(second.events, "asia_line") == ["enforced"]
    after = second.state
    assert value(spec, after, "credibility", "asia") == pytest.approx(55.0)  # 10 * 0.5
    assert value(spec, after, "credibility", "europe") == pytest.approx(52.5)  # 10 * 0.5 * 0.5
    assert value(spec, after, "assurance", "japan") == pytest.approx(54.5)  # 10 * 0.9 * 0.5
    assert value(spec, after, "assurance", "poland") == pytest.approx(51.0)  # 10 * 0.2 * 0.5


def test_private_red_line_events_are_private(rules: Rules, start: GameState) -> None:
    """A red line with ``visibility: private`` records its steps with ``private=True``
    (engine.core.events.RedLineChanged); public ones with ``private=False``."""
    result = play(rules, with_flags(start, "quiet_crossed", "europe_crossed"))
    by_line = {e.red_line: e for e in kinds(result.events, "red_line")}  # type: ignore[attr-defined]
    assert by_line["quiet_line"].status == "crossed"  # type: ignore[attr-defined]
    assert by_line["quiet_line"].private is True  # type: ignore[attr-defined]
    assert by_line["europe_line"].private is False  # type: ignore[attr-defined]


def test_declare_red_line_arms_inactive_line(rules: Rules, start: GameState) -> None:
    """ "A red line is *armed* from the start or by a ``declare_red_line`` effect.  While
    armed its ``crossed_when`` condition is checked in every ``triggers`` phase"
    (engine.core.redlines)."""
    state = with_flags(start, "dormant_crossed")
    assert (
        state.red_lines[[r.id for r in rules.spec.red_lines].index("dormant_line")].status
        == "inactive"
    )
    first = play(rules, state)
    assert red_line_steps(first.events, "dormant_line") == []  # not armed: not checked
    second = play(rules, first.state, "us: act declare")
    assert red_line_steps(second.events, "dormant_line") == ["armed", "crossed"]


# ----------------------------------------------------------------------------- escalation


def test_escalate_by_and_to(spec: GameSpec, rules: Rules, start: GameState) -> None:
    """``{escalate: $theater, by: 1}`` and ``{escalate: asia, to: crisis}`` move a theater's
    rung and record ``escalation_changed`` (engine.content.schema.EscalateEffect)."""
    result = play(rules, start, "us: act mobilise europe", "us: act crisis_in_asia")
    changes = [
        (e.theater, e.before, e.after)  # type: ignore[attr-defined]
        for e in kinds(result.events, "escalation_changed")
    ]
    assert sorted(changes) == [
        ("asia", "peacetime", "crisis"),
        ("europe", "peacetime", "gray_zone"),
    ]
    assert value(spec, result.state, "escalation", "europe") == 1
    assert value(spec, result.state, "escalation", "asia") == 2
    again = play(rules, result.state, "us: act mobilise europe")
    assert value(spec, again.state, "escalation", "europe") == 2


def test_rung_condition_gates_action(rules: Rules, start: GameState) -> None:
    """ "Every order is checked against the state at the start of the turn" (engine.core.
    adjudicate): an action requiring ``{rung: europe, ge: crisis}`` is rejected with code
    ``precondition`` below the rung and accepted once the theater reaches it."""
    first = play(rules, start, "russia: act nuclear_threat", "us: act mobilise europe")
    assert [r.code.value for r in first.results if r.order.actor == "russia"] == ["precondition"]
    rejected = kinds(first.events, "order_rejected")
    assert [e.code for e in rejected] == ["precondition"]  # type: ignore[attr-defined]
    second = play(rules, first.state, "us: act mobilise europe")
    third = play(rules, second.state, "russia: act nuclear_threat")
    assert [r.code.value for r in third.results] == ["ok"]
    assert [e.action for e in kinds(third.events, "action_taken")] == ["nuclear_threat"]  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------- triggers


def test_once_and_repeating_triggers(spec: GameSpec, rules: Rules, start: GameState) -> None:
    """ "A ``once`` trigger is spent before its effects run (so it cannot re-fire itself); a
    repeating one waits ``cooldown`` turns between firings" (engine.core.triggers)."""
    state = with_flags(start, "ping")
    history: dict[str, list[int]] = {"once_ping": [], "repeat_ping": []}
    for _ in range(5):
        result = play(rules, state)
        for trigger in fired(result.events):
            if trigger in history:
                history[trigger].append(state.turn)
        state = result.state
    assert history == {"once_ping": [1], "repeat_ping": [1, 3, 5]}
    assert value(spec, state, "counter") == pytest.approx(301.0)


def test_trigger_priority_order(rules: Rules, start: GameState) -> None:
    """ "runs every *state trigger* (one without ``on``) whose condition holds, highest
    priority first (then by id)" (engine.core.triggers)."""
    result = play(rules, with_flags(start, "order_test"))
    assert fired(result.events) == ["z_high", "a_low"]
    assert [e.text for e in kinds(result.events, "message")] == ["high", "low"]  # type: ignore[attr-defined]


def test_named_event_runs_listener(rules: Rules, start: GameState) -> None:
    """ "Effects may raise named events with ``fire``; those go through a queue, and each
    raised event runs the triggers listening ``on`` it" (engine.core.triggers)."""
    result = play(rules, with_flags(start, "alarm"))
    steps = [
        (e.kind, getattr(e, "trigger", getattr(e, "name", "")))
        for e in result.events
        if e.kind in ("trigger_fired", "named_event")
    ]
    assert steps == [
        ("trigger_fired", "alarm_raiser"),
        ("named_event", "alarm"),
        ("trigger_fired", "alarm_listener"),
    ]
    assert "alarm_heard" in result.state.flags


def test_cascade_cycle_is_cut(rules: Rules, start: GameState) -> None:
    """ "past the ruleset's ``cascade_limit`` the rest of the cascade is dropped and a
    ``cascade_cut`` event names the chain of triggers that led there" (engine.core.triggers)."""
    result = play(rules, with_flags(start, "loop"))
    cuts = kinds(result.events, "cascade_cut")
    assert len(cuts) == 1
    # cascade_limit 3: loop_start (depth 1) -> on_ping_a -> on_ping_b -> on_ping_a, then cut.
    assert cuts[0].chain == (
        "loop_start",
        "ping_a",
        "on_ping_a",
        "ping_b",
        "on_ping_b",  # type: ignore[attr-defined]
        "ping_a",
        "on_ping_a",
        "ping_b",
    )
    assert fired(result.events) == ["loop_start", "on_ping_a", "on_ping_b", "on_ping_a"]
    # The game goes on: the next turn resolves normally and nothing re-fires.
    after = play(rules, result.state, "us: act strike")
    assert not after.state.finished and after.state.turn == 3
    assert kinds(after.events, "cascade_cut") == [] and fired(after.events) == []
    assert [r.code.value for r in after.results] == ["ok"]


# ----------------------------------------------------------------------------- coalitions


def test_divergence_and_coordination_cost(spec: GameSpec) -> None:
    """ "The *divergence* of a coalition is the mean, over every pair of members, of the mean
    absolute difference of their threat perceptions of every actor either of them names"
    (engine.core.coalitions), and ``coordination = base[scope] + divergence_weight *
    divergence`` (engine.core.spec.CoordinationSpec)."""
    c = spec.coalition_by_id
    # us {russia .6, china .8}, poland {russia 1, china .2}, japan {russia .3, china .9}
    assert divergence(spec, c["nato"]) == pytest.approx((0.4 + 0.6) / 2)
    assert divergence(spec, c["pacific"]) == pytest.approx((0.3 + 0.1) / 2)
    assert divergence(spec, c["partners"]) == pytest.approx((0.5 + 0.2 + 0.7) / 3, abs=1e-6)
    assert coordination_cost(spec, c["nato"]) == pytest.approx(0.1 + 0.5)
    assert coordination_cost(spec, c["pacific"]) == pytest.approx(0.1 + 0.2)
    assert coordination_cost(spec, c["partners"]) == pytest.approx(0.3 + 1.4 / 3, abs=1e-6)
    exercise = spec.action_by_id["joint_exercise"]
    statement = spec.action_by_id["joint_statement"]
    assert joint_terms(spec, exercise, "nato") == pytest.approx((4 * 1.6, 1.25 / 1.6))
    friction = 0.3 + 1.4 / 3
    assert joint_terms(spec, exercise, "partners") == pytest.approx(
        (4 * (1 + friction), 1.5 / (1 + friction)), abs=1e-5
    )
    assert joint_terms(spec, statement, "nato") == pytest.approx((2 * 1.3, 1.1))
    assert joint_terms(spec, spec.action_by_id["strike"], "nato") == (1.0, 1.0)


def test_joint_operation_costs_more_and_scales(
    spec: GameSpec, rules: Rules, start: GameState
) -> None:
    """ "An operation costs ``cost * (1 + coordination)`` and its track effects are scaled by
    ``(1 + mass_per_member * (members - 1)) / (1 + coordination)``"; "a solidarity action
    costs ``cost * (1 + solidarity_share * coordination)``" (engine.core.spec.CoordinationSpec)."""
    result = play(rules, start, "us: act joint_exercise nato", "poland: act joint_statement nato")
    after = result.state
    assert budget_of(spec, after, "us") == pytest.approx(100 - 6.4)
    assert budget_of(spec, after, "poland") == pytest.approx(100 - 2.6)
    # 20 + 10 * 1.1 (statement, diplomacy phase) + 8 * 1.25 / 1.6 (exercise, military phase)
    assert value(spec, after, "tension", "europe") == pytest.approx(20 + 11 + 6.25)


def test_non_member_refused(rules: Rules, start: GameState) -> None:
    """A joint action is taken for a coalition its actor belongs to; anyone else is refused
    with ``not_permitted`` (engine.core.legality)."""
    result = play(
        rules, start, "japan: act joint_exercise nato", "japan: act joint_statement pacific"
    )
    codes = {r.order.action: r.code.value for r in result.results}  # type: ignore[union-attr]
    assert codes == {"joint_exercise": "not_permitted", "joint_statement": "ok"}


# ----------------------------------------------------------------------------- linkage


def test_moving_offmap_raises_opportunity(spec: GameSpec, rules: Rules, start: GameState) -> None:
    """ "it rises as the watched side's strength is drawn away from a theater (to the other
    theater or to off-map boxes such as the Middle East)" (engine.core.linkage)."""
    # Blue strength 16: 8 in Europe, 8 in Asia -> 10 + 50 * (1 - 0.5) = 35 in each.
    assert value(spec, start, "opportunity", "europe") == pytest.approx(35.0)
    assert value(spec, start, "opportunity", "asia") == pytest.approx(35.0)
    result = play(rules, start, "us: move us-1 middle_east")
    assert [e.kind for e in result.events if e.kind in ("unit_moved", "move_bounced")] == [
        "unit_moved"
    ]
    # Europe keeps 4 of 16: 10 + 50 * 0.75.
    assert value(spec, result.state, "opportunity", "europe") == pytest.approx(47.5)
    assert value(spec, result.state, "opportunity", "asia") == pytest.approx(35.0)


def test_crisis_elsewhere_raises_opportunity(
    spec: GameSpec, rules: Rules, start: GameState
) -> None:
    """ "and as the other theaters climb their escalation ladders" (engine.core.linkage)."""
    result = play(rules, start, "us: act crisis_in_asia")
    # Asia at rung 2 of 3: Europe gets 30 * 2/3 more; Asia's own rung does not count.
    assert value(spec, result.state, "opportunity", "europe") == pytest.approx(35.0 + 20.0)
    assert value(spec, result.state, "opportunity", "asia") == pytest.approx(35.0)


# ----------------------------------------------------------------------------- purity


def _conditions(spec: GameSpec) -> st.SearchStrategy[lang.Condition]:
    ops = st.sampled_from(["lt", "le", "eq", "ne", "ge", "gt"])
    compare = st.builds(lang.Compare, ops, st.floats(-10, 200, allow_nan=False))
    actors = [a.id for a in spec.actors]
    theaters = [t.id for t in spec.theaters]
    areas = [a.id for a in spec.areas]
    tracks = sorted(spec.track_slots)
    leaves = st.one_of(
        st.builds(lambda key, c: lang.TrackIs(key[0], key[1], c), st.sampled_from(tracks), compare),
        st.builds(
            lang.UnitsIn,
            compare,
            st.sampled_from(["count", "strength"]),
            st.sampled_from(["", *actors]),
            st.sampled_from(["", "blue", "red"]),
            st.sampled_from(["", "brigade"]),
            st.sampled_from(["", *areas]),
            st.sampled_from(["", *theaters]),
        ),
        st.builds(lang.Controls, st.sampled_from(areas), st.sampled_from(actors)),
        st.builds(
            lambda a, s: lang.Controls(a, side=s),
            st.sampled_from(areas),
            st.sampled_from(["blue", "red"]),
        ),
        st.builds(lang.FlagIs, st.sampled_from(["ping", "loop", "alarm", "other"]), st.booleans()),
        st.builds(lang.TurnIs, compare),
        st.builds(lang.BudgetIs, st.sampled_from(actors), compare),
        st.builds(lang.RungIs, st.sampled_from(theaters), compare),
        st.builds(lang.Happened, st.sampled_from(["action_taken", "unit_moved", "red_line"])),
        st.builds(
            lang.MemberOf, st.sampled_from(actors), st.sampled_from([c.id for c in spec.coalitions])
        ),
        st.builds(
            lang.RedLineIs,
            st.sampled_from([r.id for r in spec.red_lines]),
            st.sampled_from(["inactive", "armed", "crossed", "enforced"]),
        ),
    )
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.builds(lambda xs: lang.All(tuple(xs)), st.lists(inner, max_size=3)),
            st.builds(lambda xs: lang.Any_(tuple(xs)), st.lists(inner, max_size=3)),
            st.builds(lang.Not, inner),
        ),
        max_leaves=6,
    )


_SPEC = load_game(SCENARIO).spec
_STATES: Sequence[GameState] = (
    initial_state(_SPEC),
    play(
        Rules(_SPEC),
        with_flags(initial_state(_SPEC), "europe_crossed", "ping"),
        "us: act mobilise europe",
    ).state,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cond=_conditions(_SPEC),
    which=st.sampled_from(range(len(_STATES))),
    actor=st.sampled_from(["", "us", "russia"]),
)
def test_conditions_without_chance_never_change_state(
    cond: lang.Condition, which: int, actor: str
) -> None:
    """ "Turn a condition into a predicate.  Evaluating it never changes the board"
    (engine.core.compiled.compile_condition): without ``chance``, not even the generator."""
    state = _STATES[which]
    board = Board(_SPEC, state)
    compile_condition(_SPEC, cond)(board, Context(actor=actor, target="china", theater="asia"))
    assert board.freeze().digest() == state.digest()
    assert board.events == []


# ----------------------------------------------------------------------------- static checks


_CLEAN_RULES = RULESET.read_text(encoding="utf-8").split("  loop_start:")[0]
"""The test ruleset without its deliberate trigger cycle."""


def _write(
    tmp_path: Path, extra_triggers: str = "", scenario_edit: tuple[str, str] = ("", "")
) -> Path:
    (tmp_path / "two_theaters_rules.yaml").write_text(
        _CLEAN_RULES + extra_triggers, encoding="utf-8"
    )
    text = SCENARIO.read_text(encoding="utf-8")
    if scenario_edit[0]:
        assert scenario_edit[0] in text
        text = text.replace(scenario_edit[0], scenario_edit[1])
    (tmp_path / "two_theaters.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def _messages(tmp_path: Path) -> list[tuple[str, str]]:
    return [(d.severity, d.message) for d in check_paths([tmp_path])]


def test_clean_copy_has_no_diagnostics(tmp_path: Path) -> None:
    """The baseline for the static checks below: the test files without the cycle are clean."""
    assert _messages(_write(tmp_path)) == []


def test_check_trigger_outside_track_bounds(tmp_path: Path) -> None:
    """``_never_true``: "Warn about track comparisons that no value within the track's
    bounds satisfies" (engine.content.references)."""
    extra = (
        "  impossible:\n    when: {track: tension, scope: europe, gt: 100}\n"
        "    effects: [{adjust: counter, by: 1}]\n"
    )
    found = _messages(_write(tmp_path, extra))
    assert any("trigger 'impossible' can never fire" in m for _, m in found), found


def test_check_red_line_without_response(tmp_path: Path) -> None:
    """ "red line '...' has no response" is an error (engine.content.references)."""
    found = _messages(
        _write(
            tmp_path,
            scenario_edit=(
                "    crossed_when: {flag: never_set}\n    response: [strike]\n",
                "    crossed_when: {flag: never_set}\n",
            ),
        )
    )
    assert ("error", "red line 'lapsing_line' has no response") in found, found


def test_check_trigger_cycle(tmp_path: Path) -> None:
    """``_static_checks``: "Listeners nobody calls, and cycles of named events between
    triggers" (engine.content.references) -- the cycle half."""
    extra = (
        "  ping_one:\n    on: one\n    once: false\n    effects: [{fire: two}]\n"
        "  ping_two:\n    on: two\n    once: false\n    effects: [{fire: one}]\n"
    )
    found = _messages(_write(tmp_path, extra))
    assert any(
        s == "warning" and m.startswith("trigger cycle: ping_one -> ping_two -> ping_one")
        for s, m in found
    ), found


def test_check_listener_nobody_fires(tmp_path: Path) -> None:
    """``_static_checks``: "Listeners nobody calls" (engine.content.references)."""
    extra = "  deaf:\n    on: nobody_fires_this\n    effects: [{adjust: counter, by: 1}]\n"
    found = _messages(_write(tmp_path, extra))
    assert any(
        s == "warning" and "'nobody_fires_this', which no effect fires" in m for s, m in found
    ), found


def test_on_key_is_read_as_a_name() -> None:
    """YAML 1.1 reads a plain ``on:`` key as ``True``; the loader keeps it as the name
    ``on`` so that ``on: name`` triggers load (regression: engine.content.source)."""
    spec = load_game(SCENARIO).spec
    listeners = {t.id: t.on for t in spec.triggers if t.on}
    assert listeners == {"alarm_listener": "alarm", "on_ping_a": "ping_a", "on_ping_b": "ping_b"}


def test_private_red_line_is_seen_only_by_its_declarer(spec: GameSpec, start: GameState) -> None:
    """'a private red line appears only in the declaring side's view' (issue text);
    engine.core.observation filters its definition, status and events."""
    from engine.core.events import RedLineChanged
    from engine.core.observation import can_see_event, visible_red_lines

    step = RedLineChanged(
        1, "c", "red_line:quiet_line", "quiet_line", "crossed", "us", "russia", True
    )
    public = RedLineChanged(1, "c", "red_line:europe_line", "europe_line", "armed", "us", "", False)
    assert can_see_event(step, "us")
    assert not can_see_event(step, "russia")
    assert can_see_event(public, "russia")
    assert "quiet_line" in {line.id for line, _ in visible_red_lines(spec, start, "us")}
    seen_by_russia = {line.id for line, _ in visible_red_lines(spec, start, "russia")}
    assert "quiet_line" not in seen_by_russia
    assert "europe_line" in seen_by_russia
