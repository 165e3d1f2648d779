"""Typed events: every change the engine makes is recorded as one of these.

Each event knows the turn and phase it happened in and its ``cause`` (the order, rule or
effect that produced it), so a log, a replay, a view or an after-action report can explain
any change.  Events are frozen and serialise to flat JSON objects tagged with ``kind``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar


@dataclass(frozen=True, slots=True)
class Event:
    """Base of all events; ``kind`` is the tag used in JSON."""

    kind: ClassVar[str] = "event"
    turn: int
    phase: str
    cause: str

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind}
        for f in fields(self):
            value = getattr(self, f.name)
            data[f.name] = list(value) if isinstance(value, tuple) else value
        return data

    def describe(self) -> str:
        """One line for a log; subclasses say it better."""
        return self.kind


@dataclass(frozen=True, slots=True)
class OrderRejected(Event):
    kind: ClassVar[str] = "order_rejected"
    actor: str
    order: str
    code: str
    reason: str

    def describe(self) -> str:
        return f"{self.actor}: order '{self.order}' rejected ({self.code}): {self.reason}"


@dataclass(frozen=True, slots=True)
class ActionTaken(Event):
    kind: ClassVar[str] = "action_taken"
    actor: str
    action: str
    target: str
    cost: float

    def describe(self) -> str:
        on = f" on {self.target}" if self.target else ""
        return f"{self.actor} takes '{self.action}'{on} (cost {round(self.cost, 2):g})"


@dataclass(frozen=True, slots=True)
class ActionVoided(Event):
    kind: ClassVar[str] = "action_voided"
    actor: str
    action: str
    target: str
    reason: str

    def describe(self) -> str:
        return f"{self.actor}: '{self.action}' void: {self.reason}"


@dataclass(frozen=True, slots=True)
class UnitMoved(Event):
    kind: ClassVar[str] = "unit_moved"
    unit: str
    owner: str
    path: tuple[str, ...]

    def describe(self) -> str:
        return f"{self.unit} ({self.owner}) moves {' -> '.join(self.path)}"


@dataclass(frozen=True, slots=True)
class MoveBounced(Event):
    kind: ClassVar[str] = "move_bounced"
    unit: str
    owner: str
    destination: str
    reason: str

    def describe(self) -> str:
        return f"{self.unit} ({self.owner}) bounces from {self.destination}: {self.reason}"


@dataclass(frozen=True, slots=True)
class CombatResolved(Event):
    kind: ClassVar[str] = "combat_resolved"
    area: str
    attacker: str
    defenders: tuple[str, ...]
    attack_strength: float
    defense_strength: float
    column: str
    roll: int
    attacker_loss: float
    defender_loss: float

    def describe(self) -> str:
        return (
            f"combat in {self.area}: {self.attacker} {self.attack_strength:g} vs "
            f"{'/'.join(self.defenders)} {self.defense_strength:g} at {self.column}, "
            f"roll {self.roll}: losses {self.attacker_loss:.0%} / {self.defender_loss:.0%}"
        )


@dataclass(frozen=True, slots=True)
class UnitDamaged(Event):
    kind: ClassVar[str] = "unit_damaged"
    unit: str
    owner: str
    before: float
    after: float

    def describe(self) -> str:
        return f"{self.unit} ({self.owner}) strength {self.before:g} -> {self.after:g}"


@dataclass(frozen=True, slots=True)
class UnitDestroyed(Event):
    kind: ClassVar[str] = "unit_destroyed"
    unit: str
    owner: str
    area: str

    def describe(self) -> str:
        return f"{self.unit} ({self.owner}) destroyed in {self.area}"


@dataclass(frozen=True, slots=True)
class UnitAdded(Event):
    kind: ClassVar[str] = "unit_added"
    unit: str
    unit_type: str
    owner: str
    area: str
    strength: float

    def describe(self) -> str:
        return f"{self.unit} ({self.owner}, {self.unit_type}) placed in {self.area}"


@dataclass(frozen=True, slots=True)
class UnitRemoved(Event):
    kind: ClassVar[str] = "unit_removed"
    unit: str
    owner: str
    area: str

    def describe(self) -> str:
        return f"{self.unit} ({self.owner}) removed from {self.area}"


@dataclass(frozen=True, slots=True)
class UnitRelocated(Event):
    kind: ClassVar[str] = "unit_relocated"
    unit: str
    owner: str
    origin: str
    destination: str

    def describe(self) -> str:
        return f"{self.unit} ({self.owner}) relocated {self.origin} -> {self.destination}"


@dataclass(frozen=True, slots=True)
class ControlChanged(Event):
    kind: ClassVar[str] = "control_changed"
    area: str
    before: str
    after: str

    def describe(self) -> str:
        return f"{self.area} passes from {self.before or 'nobody'} to {self.after or 'nobody'}"


@dataclass(frozen=True, slots=True)
class TrackChanged(Event):
    kind: ClassVar[str] = "track_changed"
    track: str
    scope: str
    before: float
    after: float

    def describe(self) -> str:
        where = f"[{self.scope}]" if self.scope else ""
        return f"{self.track}{where} {self.before:g} -> {self.after:g}"


@dataclass(frozen=True, slots=True)
class FlagChanged(Event):
    kind: ClassVar[str] = "flag_changed"
    flag: str
    is_set: bool

    def describe(self) -> str:
        return f"flag '{self.flag}' {'set' if self.is_set else 'cleared'}"


@dataclass(frozen=True, slots=True)
class BudgetChanged(Event):
    kind: ClassVar[str] = "budget_changed"
    actor: str
    before: float
    after: float

    def describe(self) -> str:
        return f"{self.actor} budget {self.before:g} -> {self.after:g}"


@dataclass(frozen=True, slots=True)
class MessageSent(Event):
    kind: ClassVar[str] = "message"
    to: str
    text: str

    def describe(self) -> str:
        return f"message to {self.to}: {self.text}"


@dataclass(frozen=True, slots=True)
class GameEnded(Event):
    kind: ClassVar[str] = "game_ended"
    reason: str

    def describe(self) -> str:
        return f"game over: {self.reason}"


@dataclass(frozen=True, slots=True)
class EscalationChanged(Event):
    kind: ClassVar[str] = "escalation_changed"
    theater: str
    before: str
    after: str

    def describe(self) -> str:
        return f"escalation in {self.theater}: {self.before} -> {self.after}"


@dataclass(frozen=True, slots=True)
class RedLineChanged(Event):
    """A step in a red line's life: armed, crossed, enforced, failed, expired or retired."""

    kind: ClassVar[str] = "red_line"
    red_line: str
    status: str
    declared_by: str
    actor: str
    """Who caused the step: the violator when crossed, the enforcer when enforced."""
    private: bool

    def describe(self) -> str:
        by = f" by {self.actor}" if self.actor and self.status in ("crossed", "enforced") else ""
        return f"red line '{self.red_line}' of {self.declared_by} {self.status}{by}"


@dataclass(frozen=True, slots=True)
class TriggerFired(Event):
    kind: ClassVar[str] = "trigger_fired"
    trigger: str

    def describe(self) -> str:
        return f"trigger '{self.trigger}' fires"


@dataclass(frozen=True, slots=True)
class NamedEventRaised(Event):
    kind: ClassVar[str] = "named_event"
    name: str

    def describe(self) -> str:
        return f"event '{self.name}' raised"


@dataclass(frozen=True, slots=True)
class CascadeCut(Event):
    """A chain of triggers reached the cascade limit and was stopped."""

    kind: ClassVar[str] = "cascade_cut"
    chain: tuple[str, ...]

    def describe(self) -> str:
        return f"trigger cascade cut after {len(self.chain)} steps: {' -> '.join(self.chain)}"


EVENT_TYPES: dict[str, type[Event]] = {
    cls.kind: cls
    for cls in (
        OrderRejected,
        ActionTaken,
        ActionVoided,
        UnitMoved,
        MoveBounced,
        CombatResolved,
        UnitDamaged,
        UnitDestroyed,
        UnitAdded,
        UnitRemoved,
        UnitRelocated,
        ControlChanged,
        TrackChanged,
        FlagChanged,
        BudgetChanged,
        MessageSent,
        GameEnded,
        EscalationChanged,
        RedLineChanged,
        TriggerFired,
        NamedEventRaised,
        CascadeCut,
    )
}


def event_from_dict(data: dict[str, Any]) -> Event:
    """Inverse of :meth:`Event.to_dict`; raises ``ValueError`` on an unknown kind."""
    cls = EVENT_TYPES.get(str(data.get("kind")))
    if cls is None:
        raise ValueError(f"unknown event kind {data.get('kind')!r}")
    values = {
        f.name: tuple(data[f.name]) if isinstance(data[f.name], list) else data[f.name]
        for f in fields(cls)
    }
    return cls(**values)  # type: ignore[arg-type]
