"""Coalitions: the coordination cost of divergent threat perceptions, and joint actions.

Members of a coalition weigh each adversary differently.  The *divergence* of a coalition
is the mean, over every pair of members, of the mean absolute difference of their threat
perceptions of every actor either of them names (0: identical views, 1: opposite).  The
ruleset's :class:`~engine.core.spec.CoordinationSpec` turns divergence and scope into the
cost and the effect of joint actions (its docstring gives the formulas).
"""

from __future__ import annotations

from itertools import combinations

from engine.core.spec import ActionSpec, CoalitionSpec, GameSpec


def perception_distance(spec: GameSpec, actor_a: str, actor_b: str) -> float:
    """Mean absolute difference of two actors' threat perceptions, from 0 to 1."""
    a = spec.actor_by_id[actor_a].threat_perception
    b = spec.actor_by_id[actor_b].threat_perception
    subjects = sorted(set(a) | set(b))
    if not subjects:
        return 0.0
    return sum(abs(a.get(s, 0.0) - b.get(s, 0.0)) for s in subjects) / len(subjects)


def alignment(spec: GameSpec, actor_a: str, actor_b: str) -> float:
    """1 minus the perception distance: how much two actors fear the same adversaries."""
    if not actor_a or not actor_b or actor_a == actor_b:
        return 1.0
    return round(1.0 - perception_distance(spec, actor_a, actor_b), 6)


def divergence(spec: GameSpec, coalition: CoalitionSpec) -> float:
    """Mean pairwise difference of the members' threat perceptions, from 0 to 1."""
    pairs = list(combinations(coalition.members, 2))
    if not pairs:
        return 0.0
    return round(sum(perception_distance(spec, a, b) for a, b in pairs) / len(pairs), 6)


def coordination_cost(spec: GameSpec, coalition: CoalitionSpec) -> float:
    rules = spec.coordination
    base = (
        rules.interregional_base if coalition.scope == "interregional" else rules.intraregional_base
    )
    return round(base + rules.divergence_weight * divergence(spec, coalition), 6)


def joint_terms(spec: GameSpec, action: ActionSpec, coalition_id: str) -> tuple[float, float]:
    """``(cost, scale)`` of a joint action taken for ``coalition_id``.

    Non-joint actions cost their listed cost at full effect.
    """
    coalition = spec.coalition_by_id.get(coalition_id)
    if not action.joint or coalition is None:
        return action.cost, 1.0
    rules = spec.coordination
    others = len(coalition.members) - 1
    friction = coordination_cost(spec, coalition)
    if action.joint == "operation":
        return (
            round(action.cost * (1 + friction), 6),
            round((1 + rules.mass_per_member * others) / (1 + friction), 6),
        )
    return (
        round(action.cost * (1 + rules.solidarity_share * friction), 6),
        round(1 + rules.solidarity_per_member * others, 6),
    )
