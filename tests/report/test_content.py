"""The facilitator's report holds the whole game: every section, turn, order, reason, red
line, control, note and figure, in the HTML page and the Markdown file alike.

What the report says is checked against what the game loop and the save hold (the record
of play, the save's orders and reasons), not against the report's own helpers.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

from engine.core.events import EscalationChanged
from engine.report import SECTIONS
from engine.report.to_markdown import escape_markdown
from tests.saves.support import DEFAULT, recorded

from .conftest import ANNOTATION, BOOKMARK, CONTROL_REASON, SECOND_BOOKMARK, TURNS, Built

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def section(markdown: str, heading: str) -> str:
    """The Markdown of one section (``## heading``) or sub-section (``### heading``), up
    to the next heading of its level or above."""
    level = 2 if heading in SECTIONS else 3
    start = markdown.index(f"\n{'#' * level} {heading}\n")
    following = re.compile(rf"\n#{{1,{level}}} ").search(markdown, start + 1)
    return markdown[start : following.start() if following else len(markdown)]


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header chunk."""
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, path
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_every_section_heading_is_in_both_files_in_order(full_report: Built) -> None:
    markdown, html = full_report.markdown, full_report.html
    md_at = [markdown.index(f"\n## {title}\n") for title in SECTIONS]
    html_at = [html.index(f">{title}</h2>") for title in SECTIONS]
    assert md_at == sorted(md_at) and html_at == sorted(html_at)
    assert re.findall(r"^## (.+)$", markdown, re.M) == list(SECTIONS)
    assert re.findall(r"<h2 [^>]*>(.+?)</h2>", html) == list(SECTIONS)


def test_both_files_have_the_same_structure(full_report: Built) -> None:
    """The same document, rendered twice: as many headings of each level, table rows and
    list items in each."""
    markdown, html = full_report.markdown, full_report.html
    for level in (2, 3, 4):
        in_md = len(re.findall(rf"^{'#' * level} ", markdown, re.M))
        assert in_md == html.count(f"<h{level}"), level
    table_rows = len(re.findall(r"^\| (?!---)", markdown, re.M))
    assert table_rows == html.count("<tr>")
    items = len(re.findall(r"^- (?!\[)", markdown, re.M))  # not the contents' links
    assert items == html.count("<li>") - len(SECTIONS)


def test_the_figures_are_pngs_in_the_figures_folder_linked_from_both(full_report: Built) -> None:
    files = full_report.files
    names = [path.name for path in files.figures]
    assert names[:3] == ["credibility.png", "assurance.png", "escalation.png"]
    maps = names[3:]
    assert maps[0] == "map-turn-01.png" and maps[-1] == f"map-turn-{TURNS:02d}.png"
    assert maps == sorted(maps) and len(maps) <= 6
    assert sorted(p.name for p in (files.folder / "figures").iterdir()) == sorted(names)
    for path in files.figures:
        assert path.parent == files.folder / "figures"
        width, height = png_size(path)
        assert (width, height) == ((1600, 900) if path.name.startswith("map") else (900, 450))
        assert f"](figures/{path.name})" in full_report.markdown
        assert f'src="figures/{path.name}"' in full_report.html


def test_the_bookmarked_turns_are_among_the_maps(full_report: Built) -> None:
    maps = [p.name for p in full_report.files.figures if p.name.startswith("map")]
    assert f"map-turn-{BOOKMARK.turn:02d}.png" in maps
    assert f"map-turn-{SECOND_BOOKMARK.turn:02d}.png" in maps
    snapshots = section(full_report.markdown, "Map snapshots")
    assert f"bookmark: {BOOKMARK.text}" in snapshots
    escalated = {
        turn.turn
        for turn in full_report.replay.saved.turns
        for e in turn.events
        if isinstance(e, EscalationChanged)
    }
    assert escalated, "the Asia-Pacific climbs to crisis in turn 2"
    assert all(f"map-turn-{turn:02d}.png" in maps for turn in escalated)


def test_the_summary_gives_the_game_its_players_and_outcomes(full_report: Built) -> None:
    played = recorded(DEFAULT, TURNS)
    summary = section(full_report.markdown, "Summary")
    spec = full_report.replay.spec
    assert f"| Scenario | {spec.scenario_name} (default) |" in summary
    assert "| Seed | 3 |" in summary
    assert f"| Turns played | {TURNS} of 24 |" in summary
    assert "| Dates | 2025-01 to 2025-06 |" in summary
    assert "The save ends after turn 6 of 24; the game was not finished." in summary
    for actor in spec.actors:
        assert re.search(
            rf"^\| {actor.id} \| {re.escape(actor.name)} \| .* \| doctrine \|", summary, re.M
        ), actor.id
    us_budget = played.states[TURNS + 1].budgets[spec.actor_index["us"]]
    assert re.search(rf"^\| us \| .* \| {round(us_budget, 2):g} \|$", summary, re.M)
    outcomes = section(full_report.markdown, "Outcome measures")
    for outcome in spec.outcomes:
        value = played.record.outcomes[outcome.id]
        assert f"| {outcome.name} | {round(value, 2):g} | {outcome.statistic} |" in outcomes


def test_the_timeline_dates_every_turn_and_gives_every_reason(full_report: Built) -> None:
    markdown = full_report.markdown
    timeline = section(markdown, "Timeline")
    for turn in full_report.replay.saved.turns:
        heading = f"Turn {turn.turn} · {turn.date}"
        block = section(markdown, heading)
        assert block in timeline
        for actor, reason in turn.reasons:
            name = full_report.replay.spec.actor_by_id[actor].name
            assert f"- **why:** {name}: {escape_markdown(reason)}" in block, (turn.turn, reason)
    assert "- **escalation:** Asia-Pacific: Gray zone → Crisis" in section(
        markdown, "Turn 2 · 2025-02"
    )


def test_the_white_cell_control_and_its_reason_are_in_the_timeline(full_report: Built) -> None:
    last = section(full_report.markdown, f"Turn {TURNS} · 2025-06")
    line = next(line for line in last.splitlines() if "white cell" in line)
    assert line.startswith("- **white cell:** override (adjust: tension, scope: europe, by: -5)")
    assert CONTROL_REASON in line
    assert re.search(r"— Tension \(Europe\): [\d.]+ → [\d.]+$", line), "what it did"
    assert CONTROL_REASON in full_report.html


def test_bookmarks_and_annotations_are_listed_and_shown_at_their_turns(full_report: Built) -> None:
    markdown = full_report.markdown
    notes = section(markdown, "Bookmarks and annotations")
    assert f"| {BOOKMARK.turn} | bookmark | {BOOKMARK.text} |" in notes
    assert f"| {SECOND_BOOKMARK.turn} | bookmark | {SECOND_BOOKMARK.text} |" in notes
    assert f"| {ANNOTATION.turn} | annotation | {escape_markdown(ANNOTATION.text)} |" in notes
    assert f"- **bookmark:** {BOOKMARK.text}" in section(markdown, "Turn 3 · 2025-03")
    turn_five = section(markdown, "Turn 5 · 2025-05")
    assert f"- **note:** {escape_markdown(ANNOTATION.text)}" in turn_five


def test_every_order_is_listed_under_its_actor(full_report: Built) -> None:
    markdown = full_report.markdown
    orders = section(markdown, "Orders by team and actor")
    spec = full_report.replay.spec
    for actor in spec.actors:
        start = orders.index(f"#### {actor.name} ({actor.id})")
        end = orders.find("\n#### ", start + 1)
        block = orders[start : end if end != -1 else len(orders)]
        for turn in full_report.replay.saved.turns:
            given = [o.text() for o in turn.orders if o.actor == actor.id]
            if given:
                assert f"| {turn.turn} | {turn.date} | {'; '.join(given)} |" in block


def test_every_red_line_is_told_with_its_quote(full_report: Built) -> None:
    red_lines = section(full_report.markdown, "Red lines")
    spec = full_report.replay.spec
    for line in spec.red_lines:
        assert f"### {escape_markdown(line.name)}" in red_lines
        assert f"| Id | {line.id} |" in red_lines
    nato = section(full_report.markdown, escape_markdown(spec.red_line_by_id["nato_article5"].name))
    assert "| Declared by | United States (us) |" in nato
    assert "| Against | Russia (russia) |" in nato
    assert "“The Parties agree that an armed attack against one or more of them" in nato
    taiwan = section(
        full_report.markdown, escape_markdown(spec.red_line_by_id["taiwan_explicit"].name)
    )
    assert "| At the start | not drawn |" in taiwan


def test_the_steps_of_a_crossed_and_failed_red_line_are_dated(private_full: Built) -> None:
    line = section(private_full.markdown, "A private warning about Kaliningrad")
    assert "| Visibility | private |" in line
    steps = [row for row in line.splitlines() if row.startswith("- **")]
    assert steps == [
        "- **crossed:** Turn 1: crossed by Russia (russia)",
        "- **failed:** Turn 2: failed",
    ]
    timeline = section(private_full.markdown, "Turn 1 · 2025-01")
    assert (
        "- **red line:** A private warning about Kaliningrad (kaliningrad_line), declared by "
        "United States: crossed by Russia" in timeline
    )


def test_the_page_is_self_contained_and_escapes_what_people_typed(full_report: Built) -> None:
    html = full_report.html
    assert "<script" not in html.lower()
    assert not re.search(r"(src|href)=\"(?!#|figures/)", html), "only anchors and figures"
    assert "http://" not in html and "https://" not in html and "@import" not in html
    assert "<style>" in html and 'charset="utf-8"' in html
    assert "The veto &lt;blocked&gt; the council &amp; pushed Japan" in html
    assert "<blocked>" not in html
    assert "The veto \\<blocked\\> the council & pushed Japan" in full_report.markdown
