"""Playing a turn in the map view: select a counter, click where it goes, pick actions.

:class:`ViewPlayer` is the person's :class:`~engine.ai.bot.Bot`, as the terminal player is:
``decide`` opens the turn screen on the actor's observation and returns the orders given
when the turn is ended, so the game loop is the one every game uses and the view changes
the game only through orders.  Every order is checked as it is given
(:class:`~engine.play.draft.OrderDraft`); a refusal is written on the map at the area
clicked and in the bottom bar.
"""

from __future__ import annotations

import html

import pygame
import pygame_gui

from engine.ai.bot import Decision
from engine.core import Attack, GameState, Move, Order, OrderResult, Rules, TakeAction, Unit
from engine.core.observation import Observation
from engine.core.rng import Rng
from engine.play.draft import OrderDraft
from engine.play.render import short_number
from engine.runner import StopGame, TurnRecord
from engine.view.app import ViewApp, event_lines_html, show
from engine.view.mappane import Scene, Stack, map_label, short_name
from engine.view.situation import Viewpoint

HINT = (
    "Click one of your counters to select a unit: the areas it may reach light up in "
    "amber, those it may attack in red. Click one to give the order. Pick actions from "
    "the list below. Enter ends the turn; Esc clears the selection; Backspace drops the "
    "last order."
)


class ViewPlayer:
    """A person at the map view, playing ``actor``."""

    name = "human"

    def __init__(self, app: ViewApp, actor: str) -> None:
        self.app = app
        self.actor = actor
        self.last_record: TurnRecord | None = None

    def note_turn(self, record: TurnRecord, state: GameState) -> None:
        """``play_game``'s ``on_turn``: keep the turn just played for the events tab."""
        self.last_record = record

    def decide(self, observation: Observation, rules: Rules, rng: Rng) -> Decision:
        turn = PlayController(self, rules, observation)
        self.app.attach(turn)
        if self.last_record is not None:
            seen = len(observation.events)
            self.app.say(
                f"Turn {observation.turn}: {seen} things you could see happened last turn "
                "(the Events tab lists them)"
            )
        self.app.run()
        if turn.quit:
            raise StopGame("quit")
        return Decision(tuple(turn.draft.orders))


class PlayController:
    """One turn of one actor in the view: the selection, the draft orders, the widgets."""

    tabs: tuple[str, ...] = ("orders", "situation", "events")

    def __init__(
        self,
        player: ViewPlayer,
        rules: Rules,
        observation: Observation,
        title: str = "",
        clock: float | None = None,
    ) -> None:
        self.player = player
        self.title = title
        """Said first in the top bar: whose turn it is when teams take turns at one screen."""
        self.clock = clock
        """Seconds left to give the orders (a facilitator's time limit), or None."""
        self.paused = False
        self._warned = False
        self.app = player.app
        self.rules = rules
        self.spec = rules.spec
        self.actor = observation.actor
        self.side = self.spec.actor_by_id[self.actor].side
        self.observation = observation
        self.draft = OrderDraft(rules, observation)
        self.done = False
        self.quit = False
        self.selected: Unit | None = None
        self.moves: frozenset[str] = frozenset()
        self.attacks: frozenset[str] = frozenset()
        self.notes: dict[str, str] = {}
        self.widgets: dict[str, pygame_gui.core.UIElement] = {}

    # ------------------------------------------------------------------ what is shown

    def scene(self) -> Scene:
        return Scene(
            self.draft.state,
            self.side,
            self.selected.id if self.selected else "",
            self.moves,
            self.attacks,
            dict(self.notes),
            self._arrows(),
        )

    def _arrows(self) -> tuple[tuple[str, str, bool], ...]:
        units = self.draft.board.units
        arrows: list[tuple[str, str, bool]] = []
        for order in self.draft.orders:
            if isinstance(order, Move) and order.unit in units:
                arrows.append((units[order.unit].area, order.destination, False))
            elif isinstance(order, Attack):
                arrows += [(units[u].area, order.target, True) for u in order.units if u in units]
        return tuple(arrows)

    def viewpoint(self) -> Viewpoint:
        return Viewpoint(self.actor, self.side)

    def headline(self) -> str:
        state, spec = self.draft.state, self.spec
        me = spec.actor_by_id[self.actor]
        return (
            (f"{self.title} · " if self.title else "")
            + f"Turn {state.turn} of {spec.turns} · {spec.calendar.label(state.turn)} · orders · "
            f"{me.name} · budget {short_number(self.draft.left)} of "
            f"{short_number(self.draft.budget)}" + self._clock_text()
        )

    def _clock_text(self) -> str:
        if self.clock is None:
            return ""
        if self.clock <= 0:
            return " · TIME IS UP"
        minutes, seconds = divmod(int(self.clock + 0.999), 60)
        return f" · {minutes}:{seconds:02d} left" + (" (paused: P)" if self.paused else "")

    def events_html(self) -> str:
        lines: list[tuple[str, str]] = [("heading", "What you saw happen last turn")]
        lines += [("event", e.describe()) for e in self.observation.events]
        if not self.observation.events:
            lines.append(("event", "Nothing yet: this is the first turn."))
        record = self.player.last_record
        if record is not None:
            friends = [
                (who, why)
                for who, why in record.reasons
                if who != self.actor and self.spec.actor_by_id[who].side == self.side
            ]
            if friends:
                lines.append(("heading", "Your allies' computer players said"))
                lines += [("reason", f"{who}: {why}") for who, why in friends]
        return event_lines_html(lines)

    # ------------------------------------------------------------------ widgets

    def build(self, app: ViewApp) -> None:
        body = app.layout.body.inflate(-12, -8)
        height = app.window.get_height()
        row = max(28, round(36 * height / 900))
        info_height = round(body.height * 0.2)
        actions_height = round(body.height * 0.36)
        manager = app.manager
        x, y, w = body.x, body.y, body.width
        self.widgets = {
            "info": pygame_gui.elements.UITextBox("", pygame.Rect(x, y, w, info_height), manager),
            "actions": pygame_gui.elements.UISelectionList(
                pygame.Rect(x, y + info_height + 4, w, actions_height), [], manager
            ),
            "give": pygame_gui.elements.UIButton(
                pygame.Rect(x, y + info_height + actions_height + 8, w, row),
                "Give the selected action",
                manager,
            ),
        }
        top = y + info_height + actions_height + row + 12
        self.widgets["orders_title"] = pygame_gui.elements.UILabel(
            pygame.Rect(x, top, w, row), "Orders this turn", manager
        )
        top += row
        orders_height = body.bottom - top - 2 * row - 12
        self.widgets["orders"] = pygame_gui.elements.UISelectionList(
            pygame.Rect(x, top, w, orders_height), [], manager
        )
        self.widgets["remove"] = pygame_gui.elements.UIButton(
            pygame.Rect(x, top + orders_height + 4, w, row), "Remove the selected order", manager
        )
        self.widgets["end"] = pygame_gui.elements.UIButton(
            pygame.Rect(x, top + orders_height + row + 8, w, row),
            "End the turn (Enter)",
            manager,
            object_id="#end_turn",
        )
        self.refresh()

    def tab_changed(self, tab: str) -> None:
        for widget in self.widgets.values():
            show(widget, tab == "orders")

    def refresh(self) -> None:
        """Bring the widgets in step with the selection and the draft."""
        if not self.widgets:
            return
        info = self.widgets["info"]
        assert isinstance(info, pygame_gui.elements.UITextBox)
        info.set_text(self._unit_html() if self.selected else html.escape(HINT))
        actions = self.widgets["actions"]
        assert isinstance(actions, pygame_gui.elements.UISelectionList)
        actions.set_item_list(
            [(self._action_label(o), str(i)) for i, o in enumerate(self.draft.choices)]
        )
        orders = self.widgets["orders"]
        assert isinstance(orders, pygame_gui.elements.UISelectionList)
        orders.set_item_list(
            [(self._order_label(r), str(i)) for i, r in enumerate(self.draft.results)]
        )

    def _unit_html(self) -> str:
        unit = self.selected
        assert unit is not None
        kind = self.spec.unit_type_by_id[unit.unit_type]
        area = self.spec.area_by_id[unit.area]
        reach = ", ".join(sorted(self.moves)) or "nowhere this turn"
        strike = ", ".join(sorted(self.attacks)) or "nothing in sight"
        return (
            f"<b>{html.escape(unit.id)}</b>: {html.escape(kind.name)}, strength "
            f"{short_number(unit.strength)}, in {html.escape(short_name(area.name))}; "
            f"movement {kind.movement}, range {kind.range}<br>"
            f"may move to: {html.escape(reach)}<br>may attack: {html.escape(strike)}"
        )

    def _action_label(self, order: TakeAction) -> str:
        action = self.spec.action_by_id[order.action]
        target = f": {self._target_name(action.target, order.target)}" if order.target else ""
        return f"{short_number(self.draft.cost(order))} · {action.name}{target}"

    def _target_name(self, kind: str, target: str) -> str:
        """What a player calls an action's target: a red line by its name, an area by its
        label; actors, theaters and coalitions by their ids, which are short."""
        if kind == "red_line" and target in self.spec.red_line_by_id:
            return self.spec.red_line_by_id[target].name
        if kind == "area" and target in self.spec.area_by_id:
            return map_label(self.spec.area_by_id[target])
        return target

    def _order_label(self, result: OrderResult) -> str:
        order = result.order
        if isinstance(order, TakeAction):
            return self._action_label(order)
        if isinstance(order, Move) and result.route:
            return f"move {order.unit}: {' - '.join(result.route)}"
        return order.text()

    # ------------------------------------------------------------------ input

    def click(self, pos: tuple[int, int], button: int) -> None:
        """A click on the map: select a counter, or order the selected unit to an area."""
        pane = self.app.pane_at(pos)
        if pane is None:
            return
        if button == 3:
            self.select(None)
            return
        if button != 1:  # the wheel and other buttons give no orders
            return
        stack = pane.stack_at(pos)
        # A stack may be drawn beside its area's point, over a neighbour: it stands for
        # its own area.
        area = stack.area if stack is not None else pane.area_at(pos)
        if stack is None and area is not None and not self._is_target(area):
            # A click in an area, beside its counters, means them.
            stack = next(
                (s for s in pane.stacks if s.area == area and self._own(s)),
                None,
            )
        if stack is not None and self._own(stack) and not self._is_target(stack.area):
            self.select(self._next_unit(stack))
        elif self.selected is not None and area is not None:
            self.order_to(area)
        elif stack is not None:
            strength = sum(u.strength for u in stack.units)
            owners = ", ".join(sorted({u.owner for u in stack.units}))
            self.app.say(
                f"{short_name(self.spec.area_by_id[stack.area].name)}: {len(stack.units)} units "
                f"of {owners}, strength {short_number(strength)}"
            )
        else:
            self.select(None)

    def _own(self, stack: Stack) -> bool:
        return any(u.owner == self.actor for u in stack.units)

    def _is_target(self, area: str) -> bool:
        return self.selected is not None and area in (self.moves | self.attacks)

    def _next_unit(self, stack: Stack) -> Unit:
        """The first of the actor's units in ``stack``, or the next after the selected one."""
        mine = [u for u in stack.units if u.owner == self.actor]
        if self.selected in mine:
            return mine[(mine.index(self.selected) + 1) % len(mine)]
        return mine[0]

    def select(self, unit: Unit | None) -> None:
        self.selected = unit
        self.notes.clear()
        if unit is None:
            self.moves = self.attacks = frozenset()
        else:
            self.moves = frozenset(self.draft.destinations(unit.id))
            self.attacks = frozenset(self.draft.attack_targets(unit.id))
            self.app.say(f"{unit.id} selected: click where it should go")
        self.refresh()

    def order_to(self, area: str) -> None:
        """Order the selected unit to ``area``: an attack on hostile forces there, else a
        move; a refusal is explained at the area."""
        unit = self.selected
        assert unit is not None
        order: Order
        if area in self.attacks:
            order = Attack(self.actor, area, (unit.id,))
        else:
            order = Move(self.actor, unit.id, area)
        if self.give(order, area):
            self.select(None)

    def give(self, order: Order, area: str = "") -> bool:
        result = self.draft.add(order)
        self.notes.clear()
        if result.ok:
            self.app.say(f"ordered: {self._order_label(result)}")
        else:
            self.app.say(f"refused ({result.code.value}): {result.reason}", error=True)
            if area:
                self.notes[area] = f"refused: {result.reason}"
        self.refresh()
        return result.ok

    def undo(self) -> None:
        if not self.draft.orders:
            self.app.say("there is no order to undo this turn")
            return
        dropped = self.draft.remove(-1)
        self.app.say(f"dropped {dropped.text()}")
        self.refresh()

    def key(self, key: int) -> None:
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.done = True
        elif key == pygame.K_ESCAPE:
            self.select(None)
        elif key in (pygame.K_BACKSPACE, pygame.K_u):
            self.undo()
        elif key == pygame.K_p and self.clock is not None:
            self.paused = not self.paused
            self.app.say("the clock is paused (P to go on)" if self.paused else "the clock runs")

    def gui(self, event: pygame.event.Event) -> None:
        widgets = self.widgets
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is widgets.get("end"):
                self.done = True
            elif event.ui_element is widgets.get("give"):
                self._give_selected_action()
            elif event.ui_element is widgets.get("remove"):
                self._remove_selected_order()
        elif (
            event.type == pygame_gui.UI_SELECTION_LIST_DOUBLE_CLICKED_SELECTION
            and event.ui_element is widgets.get("actions")
        ):
            self._give_selected_action()

    def _give_selected_action(self) -> None:
        actions = self.widgets["actions"]
        assert isinstance(actions, pygame_gui.elements.UISelectionList)
        chosen = actions.get_single_selection(include_object_id=True)
        if chosen is None:
            self.app.say("pick an action in the list first", error=True)
            return
        self.give(self.draft.choices[int(chosen[1])])

    def _remove_selected_order(self) -> None:
        orders = self.widgets["orders"]
        assert isinstance(orders, pygame_gui.elements.UISelectionList)
        chosen = orders.get_single_selection(include_object_id=True)
        if chosen is None:
            self.undo()
            return
        dropped = self.draft.remove(int(chosen[1]))
        self.app.say(f"dropped {dropped.text()}")
        self.refresh()

    def update(self, seconds: float) -> None:
        """Only the facilitator's clock moves while a turn is being written."""
        if self.clock is None or self.paused or self.clock <= 0:
            return
        self.clock -= seconds
        if self.clock <= 60 and not self._warned:
            self._warned = True
            self.app.say("one minute left to give your orders", error=True)
        if self.clock <= 0:
            self.app.say("time is up: end the turn (Enter)", error=True)

    def close(self) -> None:
        self.quit = True
        self.done = True

    def overlay(self, surface: pygame.Surface) -> None:
        """Nothing is drawn over a turn's screen."""
