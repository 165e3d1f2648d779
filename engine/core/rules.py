"""``Rules``: a :class:`GameSpec` with its conditions and effects compiled, built once.

Everything that plays, checks or explains a game holds a ``Rules``; building one compiles
every action's preconditions and effects, so nothing is compiled inside the turn loop.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.core.coalitions import joint_terms
from engine.core.compiled import Applier, Context, Predicate, compile_condition, compile_effects
from engine.core.language import depends_on_moment, describe_condition, mentions
from engine.core.orders import OrderCode
from engine.core.redlines import CompiledRedLine, compile_red_lines
from engine.core.spec import ActionSpec, GameSpec
from engine.core.triggers import TriggerSet


@dataclass(frozen=True, slots=True)
class ActionTerms:
    """What the rules say of one actor taking one action on one target, whatever the moment:
    worked out once per game (see :func:`engine.core.legality.action_terms_for`)."""

    refusal: tuple[OrderCode, str] | None
    """``(code, reason)`` when the action is unknown or not open to the actor."""
    target_refusal: tuple[OrderCode, str] | None
    """``(code, reason)`` when the target does not suit the action or the actor."""
    cost: float
    context: Context
    """The context its precondition and effects are evaluated in."""

    @property
    def allowed(self) -> bool:
        """Whether the order can be given at all (then budget and precondition decide)."""
        return self.refusal is None and self.target_refusal is None


class Rules:
    """The compiled, read-only rules of one scenario."""

    def __init__(self, spec: GameSpec) -> None:
        self.spec = spec
        self.action_requires: dict[str, Predicate] = {
            a.id: compile_condition(spec, a.requires) for a in spec.actions
        }
        self.action_effects: dict[str, Applier] = {
            a.id: compile_effects(spec, a.effects) for a in spec.actions
        }
        self.requirement_text: dict[str, str] = {
            a.id: describe_condition(a.requires) for a in spec.actions
        }
        self.steady_requirements: frozenset[str] = frozenset(
            a.id for a in spec.actions if not depends_on_moment(a.requires)
        )
        """Actions whose precondition depends on the state alone (no ``chance``, no
        ``happened``): its value can be kept while the state does not change."""
        self.needs_theater: frozenset[str] = frozenset(
            a.id for a in spec.actions if mentions("$theater", a.requires, a.effects)
        )
        self.actions_by_role: dict[str, tuple[ActionSpec, ...]] = {
            role.id: tuple(a for a in spec.actions if role.id in a.roles) for role in spec.roles
        }
        self.actor_order: tuple[str, ...] = tuple(
            a.id for a in sorted(spec.actors, key=lambda a: (a.initiative, a.id))
        )
        self.triggers = TriggerSet(spec)
        self.red_lines: tuple[CompiledRedLine, ...] = compile_red_lines(spec)
        self._terms: dict[tuple[str, str], tuple[float, float]] = {}
        self.known_ids: frozenset[str] = frozenset(
            (
                "",
                *spec.actor_by_id,
                *spec.area_by_id,
                *(t.id for t in spec.theaters),
                *spec.coalition_by_id,
                *spec.red_line_by_id,
            )
        )
        """Every id an action may target, and the empty target."""
        self.action_checks: dict[tuple[str, str, str], ActionTerms] = {}
        """``(actor, action, target)`` to its :class:`ActionTerms`, filled as orders come."""

    def action_terms(self, action: ActionSpec, target: str) -> tuple[float, float]:
        """``(cost, effect scale)`` of an action; joint actions depend on the coalition."""
        key = (action.id, target if action.joint else "")
        terms = self._terms.get(key)
        if terms is None:
            terms = self._terms[key] = joint_terms(self.spec, action, target)
        return terms

    def action_theater(self, actor: str, action: ActionSpec, target: str) -> str:
        """The theater an action concerns, for the ``$theater`` token."""
        spec = self.spec
        if action.target == "area" and target in spec.area_by_id:
            return spec.area_by_id[target].theater
        if action.target == "theater":
            return target
        if action.target == "coalition" and target in spec.coalition_by_id:
            return spec.coalition_by_id[target].theater
        if action.target == "actor" and target in spec.actor_by_id:
            return spec.actor_by_id[target].theater
        if action.target == "red_line" and target in spec.red_line_by_id:
            return spec.red_line_by_id[target].theater
        return spec.actor_by_id[actor].theater if actor in spec.actor_by_id else ""
