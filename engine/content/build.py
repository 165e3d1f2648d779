"""Build the engine's :class:`~engine.core.spec.GameSpec` from validated models.

Runs only after schema and reference checks have passed, so every id here is known to
exist; this module translates, it does not judge.
"""

from __future__ import annotations

from typing import Any

from engine.ai.doctrine import (
    ActorDoctrine,
    Candidate,
    Difficulty,
    DoctrineRule,
    DoctrineSet,
    Personality,
)
from engine.content import schema as s
from engine.core import language as lang
from engine.core import spec as c
from engine.core.board import ESCALATION_TRACK


def _compare(node: s.Comparable) -> lang.Compare:
    op, value = node.comparison()
    return lang.Compare(op, value)  # type: ignore[arg-type]


def _month(text: str) -> int:
    year, month = (int(part) for part in text.split("-"))
    return year * 12 + month - 1


class Translator:
    """Translates schema conditions and effects, resolving rung names and dates."""

    def __init__(self, ruleset: s.Ruleset, scenario: s.Scenario) -> None:
        ladder = ruleset.escalation
        self.rungs = {r.id: i for i, r in enumerate(ladder.rungs)} if ladder else {}
        self.start = _month(scenario.calendar.start)
        self.months_per_turn = scenario.calendar.months_per_turn

    def rung(self, value: str | int) -> int:
        return value if isinstance(value, int) else self.rungs[value]

    def condition(self, node: object) -> lang.Condition:
        """Translate one schema condition into the engine's vocabulary."""
        match node:
            case s.AllOf(all=items):
                return lang.All(tuple(self.condition(i) for i in items))
            case s.AnyOf(any=items):
                return lang.Any_(tuple(self.condition(i) for i in items))
            case s.NotCondition(not_=item):
                return lang.Not(self.condition(item))
            case s.TrackCondition():
                return lang.TrackIs(node.track, node.scope, _compare(node))
            case s.UnitsCondition(units=f):
                return lang.UnitsIn(
                    _compare(node), node.measure, f.actor, f.side, f.type, f.area, f.theater
                )
            case s.ControlCondition():
                return lang.Controls(node.controls, node.actor, node.side)
            case s.FlagCondition():
                return lang.FlagIs(node.flag, node.set)
            case s.TurnCondition(turn=compare):
                return lang.TurnIs(_compare(compare))
            case s.DateCondition(date=compare):
                op, month = compare.comparison()
                turn = (_month(month) - self.start) / self.months_per_turn + 1
                return lang.TurnIs(lang.Compare(op, turn))  # type: ignore[arg-type]
            case s.BudgetCondition():
                return lang.BudgetIs(node.budget, _compare(node))
            case s.RungCondition():
                op, value = node.comparison()
                return lang.RungIs(node.rung, lang.Compare(op, self.rung(value)))  # type: ignore[arg-type]
            case s.HappenedCondition(happened=fields):
                match = tuple(sorted((k, v) for k, v in fields.items() if k != "event"))
                return lang.Happened(fields["event"], match)
            case s.ChanceCondition(chance=p):
                return lang.Chance(p)
            case s.MemberCondition():
                return lang.MemberOf(node.actor, node.member)
            case s.RedLineCondition():
                return lang.RedLineIs(node.red_line, node.status)
        raise TypeError(f"not a condition model: {node!r}")

    def effect(self, node: object) -> lang.Effect:
        """Translate one schema effect into the engine's vocabulary."""
        match node:
            case s.AdjustEffect():
                return lang.AdjustTrack(node.adjust, node.scope, node.by, node.weight or "")
            case s.SetEffect():
                return lang.SetTrack(node.set, node.scope, node.to)
            case s.SetFlagEffect():
                return lang.SetFlag(node.set_flag, True)
            case s.ClearFlagEffect():
                return lang.SetFlag(node.clear_flag, False)
            case s.BudgetEffect():
                return lang.AdjustBudget(node.budget, node.by)
            case s.AddUnitEffect():
                return lang.AddUnit(node.add_unit, node.owner, node.area, node.strength)
            case s.RemoveUnitsEffect(remove_units=f):
                return lang.RemoveUnits(f.area, f.actor, f.type, node.count, f.side, f.theater)
            case s.MoveUnitsEffect(move_units=f):
                return lang.MoveUnits(
                    node.to, f.area, f.actor, f.type, node.count, f.side, f.theater
                )
            case s.SetControlEffect():
                return lang.SetControl(node.set_control, node.actor)
            case s.MessageEffect():
                return lang.Message(node.to, node.message)
            case s.EndGameEffect():
                return lang.EndGame(node.end_game)
            case s.EscalateEffect():
                to = None if node.to is None else self.rung(node.to)
                return lang.Escalate(node.escalate, node.by, to)
            case s.DeclareRedLineEffect():
                return lang.DeclareRedLine(node.declare_red_line)
            case s.RetireRedLineEffect():
                return lang.RetireRedLine(node.retire_red_line)
            case s.FireEffect():
                return lang.Fire(node.fire)
            case s.EachMemberEffect():
                return lang.EachMember(node.each_member, self.effects(node.effects))
        raise TypeError(f"not an effect model: {node!r}")

    def effects(self, nodes: list[Any]) -> tuple[lang.Effect, ...]:
        return tuple(self.effect(n) for n in nodes)


def _track_start(scenario: s.Scenario, words: Translator) -> dict[tuple[str, str], float]:
    start: dict[tuple[str, str], float] = {
        (ESCALATION_TRACK, theater): float(words.rung(rung))
        for theater, rung in scenario.escalation.items()
    }
    for track_id, value in scenario.tracks.items():
        if isinstance(value, dict):
            start.update(((track_id, scope), v) for scope, v in value.items())
        else:
            start[(track_id, "")] = value
    return start


def game_spec(ruleset: s.Ruleset, scenario: s.Scenario) -> c.GameSpec:
    """Join a ruleset and a scenario into the engine's definition of one game."""
    r, sc = ruleset, scenario
    words = Translator(r, sc)
    year, month = (int(part) for part in sc.calendar.start.split("-"))
    return c.GameSpec(
        scenario_id=sc.scenario,
        scenario_name=sc.name,
        ruleset_id=r.ruleset,
        theaters=tuple(c.TheaterSpec(k, v.name) for k, v in r.theaters.items()),
        sides=tuple(
            c.SideSpec(k, v.name, v.color, frozenset(v.opposes)) for k, v in r.sides.items()
        ),
        terrains=tuple(c.TerrainSpec(k, v.name, v.defense) for k, v in r.terrain.items()),
        area_kinds=tuple(
            c.AreaKindSpec(k, v.name, v.offmap, v.controllable) for k, v in r.area_kinds.items()
        ),
        movement=tuple(
            c.MovementRule(domain, frozenset(m.areas), dict(m.edges))
            for domain, m in r.movement.items()
        ),
        unit_types=tuple(
            c.UnitTypeSpec(k, v.name, v.domain, v.strength, v.movement, v.cost, v.symbol, v.range)
            for k, v in r.unit_types.items()
        ),
        roles=tuple(c.RoleSpec(k, v.name) for k, v in r.roles.items()),
        tracks=_tracks(r),
        actions=tuple(
            c.ActionSpec(
                k,
                v.name,
                v.category,
                frozenset(v.roles),
                v.cost,
                v.target,
                words.condition(v.requires) if v.requires else lang.ALWAYS,
                words.effects(v.effects),
                v.description,
                v.joint or "",
            )
            for k, v in r.actions.items()
        ),
        combat=c.CombatTable(
            r.combat.die, r.combat.ratios(), r.combat.rows(), r.combat.destroyed_below
        ),
        phases=tuple(
            c.PhaseSpec(p.id, p.name or p.id, p.kind, tuple(p.categories)) for p in r.phases
        ),
        outcomes=tuple(
            c.OutcomeSpec(
                k,
                v.name,
                v.measure,
                v.statistic,
                v.track,
                v.scope,
                v.side,
                v.actor,
                v.theater,
                v.flag,
            )
            for k, v in r.outcomes.items()
        ),
        areas=tuple(
            c.AreaSpec(
                k,
                v.name,
                v.theater or "",
                v.kind,
                v.terrain,
                v.lat,
                v.lon,
                v.controller or "",
                r.area_kinds[v.kind].offmap,
                tuple(v.countries),
                v.label or "",
            )
            for k, v in sc.areas.items()
        ),
        edges=tuple(c.EdgeSpec(a, b, kind) for a, b, kind in sc.adjacency),
        actors=tuple(
            c.ActorSpec(
                k,
                v.name,
                v.side,
                v.role,
                v.controller,
                v.budget,
                v.income,
                v.theater or "",
                dict(sorted(v.threat_perception.items())),
                v.initiative,
                frozenset(v.deploys_to),
            )
            for k, v in sc.actors.items()
        ),
        coalitions=tuple(
            c.CoalitionSpec(k, v.name, tuple(v.members), v.scope, v.theater or "")
            for k, v in sc.coalitions.items()
        ),
        forces=tuple(
            c.UnitSetup(
                k,
                v.type,
                v.owner,
                v.area,
                v.strength if v.strength is not None else r.unit_types[v.type].strength,
            )
            for k, v in sc.forces.items()
        ),
        track_start=_track_start(sc, words),
        turns=sc.turns,
        calendar=c.Calendar(year, month, sc.calendar.months_per_turn),
        seed=sc.seed,
        ladder=c.LadderSpec(
            tuple(x.id for x in r.escalation.rungs), tuple(x.name for x in r.escalation.rungs)
        )
        if r.escalation
        else None,
        triggers=tuple(
            c.TriggerSpec(
                k,
                words.condition(v.when) if v.when else lang.ALWAYS,
                words.effects(v.effects),
                v.once,
                v.cooldown,
                v.priority,
                v.on or "",
                v.description,
            )
            for k, v in sorted({**r.triggers, **sc.triggers}.items())
        ),
        red_lines=tuple(
            c.RedLineSpec(
                k,
                v.name,
                v.declared_by,
                v.against,
                v.theater,
                words.condition(v.crossed_when),
                frozenset(v.response),
                v.window,
                v.clarity,
                v.visibility,
                v.armed,
                v.expires_after,
            )
            for k, v in sc.red_lines.items()
        ),
        red_line_consequences=_consequences(r.red_line_consequences),
        coordination=c.CoordinationSpec(**r.coordination.model_dump()),
        linkage=c.LinkageSpec(**r.linkage.model_dump()) if r.linkage else None,
        cascade_limit=r.cascade_limit,
        start_flags=tuple(sorted(flag for flag, is_set in sc.flags.items() if is_set)),
    )


def _tracks(r: s.Ruleset) -> tuple[c.TrackSpec, ...]:
    tracks = [
        c.TrackSpec(
            k,
            v.name,
            v.scope,
            v.min,
            v.max,
            v.default,
            v.decay.toward if v.decay else None,
            v.decay.rate if v.decay else 0.0,
            v.public,
        )
        for k, v in r.tracks.items()
    ]
    if r.escalation:
        tracks.append(
            c.TrackSpec(
                ESCALATION_TRACK, "Escalation", "theater", 0, len(r.escalation.rungs) - 1, 0
            )
        )
    return tuple(tracks)


def _consequences(model: s.RedLineConsequencesModel | None) -> c.RedLineConsequences:
    if model is None:
        return c.RedLineConsequences()
    return c.RedLineConsequences(
        credibility_track=model.credibility_track,
        assurance_track=model.assurance_track or "",
        enforced_credibility=model.enforced.get("credibility", 0.0),
        failed_credibility=model.failed.get("credibility", 0.0),
        enforced_assurance=model.enforced.get("assurance", 0.0),
        failed_assurance=model.failed.get("assurance", 0.0),
        other_theater_weight=model.other_theater_weight,
        ambiguous_factor=model.ambiguous_factor,
    )


def doctrine_set(model: s.Doctrine, words: Translator) -> DoctrineSet:
    """Translate a validated doctrine file into the bots' doctrine data."""
    return DoctrineSet(
        id=model.doctrine,
        personalities={
            k: Personality(
                k,
                {"aggressive": v.aggressive, "defensive": v.defensive, "neutral": v.neutral},
                v.attack_odds,
                v.reinforce,
            )
            for k, v in model.personalities.items()
        },
        difficulties={
            k: Difficulty(k, v.actions, v.blunder) for k, v in model.difficulties.items()
        },
        actors={
            actor: ActorDoctrine(
                actor,
                plan.personality,
                tuple(
                    DoctrineRule(
                        rule_id,
                        words.condition(rule.when) if rule.when else lang.ALWAYS,
                        tuple(Candidate(c.action, c.target, c.weight) for c in rule.do),
                        rule.priority,
                        rule.stance,
                        rule.explain,
                    )
                    for rule_id, rule in plan.rules.items()
                ),
            )
            for actor, plan in model.actors.items()
        },
        default_difficulty=model.default_difficulty,
    )
