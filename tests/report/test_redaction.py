"""A team's report holds what the team saw during play, and nothing more.

Russia's report of the default game must not show another actor's order or reason, a
budget but its own, a hostile unit it never had in sight, a track it could not read, or
the seed (with which the computer players' turns could be played again).  A private US
red line must stay out of Russia's report, whatever names it: the line, its steps, or a
change it caused.  Each check has its positive counterpart in a report that may show the
thing, so that a test cannot pass merely because the thing is never written at all.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.core.observation import observe
from engine.report.charts import charts_section
from engine.report.sight import Sight
from engine.report.to_markdown import escape_markdown
from engine.saves import Replay

from .conftest import ANNOTATION, BOOKMARK, CONTROL_REASON, Built


def both(report: Built) -> str:
    return report.markdown + "\n" + report.html


def test_no_other_actor_order_appears_in_russia_report(
    russia_report: Built, full_report: Built
) -> None:
    saved = russia_report.replay.saved
    own = {o.text() for t in saved.turns for o in t.orders if o.actor == "russia"}
    others = {o.text() for t in saved.turns for o in t.orders if o.actor != "russia"} - own
    us_orders = {o.text() for t in saved.turns for o in t.orders if o.actor == "us"}
    assert us_orders - own, "the US gave orders Russia did not"
    text = both(russia_report)
    assert [order for order in sorted(others) if order in text] == []
    assert all(order in russia_report.markdown for order in own)
    assert all(order in full_report.markdown for order in others)


def test_no_other_actor_reason_appears_in_russia_report(
    russia_report: Built, full_report: Built
) -> None:
    saved = russia_report.replay.saved
    own = {r for t in saved.turns for who, r in t.reasons if who == "russia"}
    others = {r for t in saved.turns for who, r in t.reasons if who != "russia"} - own
    assert {r for t in saved.turns for who, r in t.reasons if who == "us"} - own
    text = both(russia_report)
    assert [reason for reason in sorted(others) if reason in text] == []
    assert "- **why:** United States:" in full_report.markdown
    assert "**why:** United States" not in russia_report.markdown
    assert all(reason in russia_report.markdown for reason in own)


def test_no_budget_but_russia_own_appears_in_its_report(
    russia_report: Built, full_report: Built
) -> None:
    spec = russia_report.replay.spec
    rows = {
        row.split(" | ")[0].lstrip("| "): row.split(" | ")[-1].rstrip(" |")
        for row in russia_report.markdown.splitlines()
        if row.startswith("| ") and row.count(" | ") == 4 and "doctrine" in row
    }
    assert set(rows) == {a.id for a in spec.actors}
    assert {actor for actor, cell in rows.items() if cell != "not known to this team"} == {"russia"}
    final = russia_report.replay.state_at(russia_report.replay.last_turn + 1)
    us_budget = f"{round(final.budgets[spec.actor_index['us']], 2):g}"
    assert re.search(rf"^\| us \| .* \| {us_budget} \|$", full_report.markdown, re.M)
    assert "budget" not in russia_report.markdown.replace("Budget at the end", "")


def test_no_hostile_unit_out_of_sight_appears_in_russia_report(
    russia_report: Built, full_report: Built
) -> None:
    replay = russia_report.replay
    spec = replay.spec
    ever_seen: set[str] = set()
    for turn in range(1, replay.last_turn + 2):
        ever_seen |= {u.id for u in observe(spec, replay.state_at(turn), "russia").state.units}
    hostile = {u.id for u in replay.state_at(1).units if spec.actor_by_id[u.owner].side == "blue"}
    never_seen = hostile - ever_seen
    assert never_seen, "the default scenario hides some allied units from Russia"
    text = both(russia_report)
    leaked = [unit for unit in sorted(never_seen) if re.search(rf"\b{re.escape(unit)}\b", text)]
    assert leaked == []
    moved = {
        o.unit
        for t in replay.saved.turns
        for o in t.orders
        if hasattr(o, "unit") and o.actor == "us"
    }
    assert all(unit in full_report.markdown for unit in moved)


def test_russia_report_holds_no_seed_no_hidden_track_and_no_hidden_measure(
    russia_report: Built, full_report: Built
) -> None:
    markdown = russia_report.markdown
    assert "| Seed |" not in markdown and "| Seed | 3 |" in full_report.markdown
    names = [p.name for p in russia_report.files.figures]
    assert "assurance.png" not in names and "assurance.png" in full_report.markdown
    assert {"credibility.png", "escalation.png"} <= set(names)
    assert not (russia_report.files.folder / "figures" / "assurance.png").exists()
    assert "No allies' assurance track was visible to this team: no chart." in markdown
    assert "Assurance of" not in markdown and "| Assurance of the UK |" in full_report.markdown
    assert "7 measures built from what this team could not observe are left out." in markdown
    assert "| US credibility in Europe |" in markdown, "theater tracks are public"


def test_russia_report_shows_the_control_it_saw_without_its_written_effects(
    russia_report: Built,
) -> None:
    """Tension is a theater track, seen by all: Russia saw the override's effect, so it
    is told the reason; the effects as the facilitator wrote them stay with control."""
    line = next(row for row in russia_report.markdown.splitlines() if "white cell" in row)
    assert line.startswith(f"- **white cell:** override: {CONTROL_REASON} — Tension (Europe)")
    assert "adjust:" not in russia_report.markdown


def test_an_ally_team_sees_the_assurance_of_its_side(
    default_replay: Replay, tmp_path: Path
) -> None:
    section, written = charts_section(Sight(default_replay, ["uk"]), tmp_path, "figures")
    assert [p.name for p in written] == ["credibility.png", "assurance.png", "escalation.png"]
    assert [getattr(b, "path", "") for b in section.blocks][1] == "figures/assurance.png"


def test_the_team_fog_rule_for_tracks_is_the_one_observe_applies(default_replay: Replay) -> None:
    """The report decides which series to chart with :meth:`Sight.sees_track`; every
    slot it hides must be one ``observe`` shows at its default, and every value it shows
    must be the one ``observe`` gave."""
    spec = default_replay.spec
    for viewer in ("russia", "uk"):
        sight = Sight(default_replay, [viewer])
        hidden_differs = False
        for turn in range(default_replay.last_turn + 1):
            true = sight.state(turn).tracks
            belief = observe(spec, sight.state(turn), viewer).state.tracks
            for slot, (track, scope) in enumerate(spec.track_keys):
                value = sight.track_value(turn, track, scope)
                if value is None:
                    assert belief[slot] == spec.track_by_id[track].default
                    hidden_differs |= true[slot] != belief[slot]
                else:
                    assert value == belief[slot] == true[slot]
        assert hidden_differs or viewer == "uk"


def test_the_private_red_line_stays_out_of_the_other_side_report(
    private_russia: Built, private_us: Built, private_full: Built
) -> None:
    name = "A private warning about Kaliningrad"
    for report in (private_full, private_us):
        assert "kaliningrad_line" in both(report) and name in both(report)
    text = both(private_russia)
    assert "kaliningrad_line" not in text
    assert name not in text
    assert "Kaliningrad" not in private_russia.markdown.split("## Red lines")[1].split("## ")[0]


def test_the_private_red_line_is_the_declarer_own(private_us: Built) -> None:
    steps = [
        row
        for row in private_us.markdown.split("### A private warning about Kaliningrad")[1]
        .split("### ")[0]
        .splitlines()
        if row.startswith("- **")
    ]
    assert steps == [
        "- **crossed:** Turn 1: crossed by Russia (russia)",
        "- **failed:** Turn 2: failed",
    ]


@pytest.mark.parametrize("viewers", [["japan", "rok"], ["us", "russia"]])
def test_a_team_sees_what_any_of_its_actors_saw_and_nothing_else(
    default_replay: Replay, viewers: list[str]
) -> None:
    spec = default_replay.spec
    sight = Sight(default_replay, viewers)
    for turn in range(1, default_replay.last_turn + 1):
        before, after = default_replay.state_at(turn), default_replay.state_at(turn + 1)
        events = default_replay.events_of(turn)
        seen = [set(observe(spec, after, v, events, before).events) for v in viewers]
        merged = sight.turn(turn).events
        assert all(any(e in each for each in seen) for e in merged), "only what one saw"
        if all(spec.actor_by_id[v].side == spec.actor_by_id[viewers[0]].side for v in viewers):
            assert set(merged) == set().union(*seen)
        else:
            assert len(merged) >= max(len(each) for each in seen)
        assert {o.actor for o in sight.turn(turn).orders} <= set(viewers)


def test_the_white_cell_notes_stay_in_the_facilitator_report(
    russia_report: Built, full_report: Built
) -> None:
    """Annotations are the white cell's own notes; bookmarks mark turns for everyone."""
    assert "The veto" not in both(russia_report)
    assert escape_markdown(ANNOTATION.text) in full_report.markdown
    assert BOOKMARK.text in russia_report.markdown
