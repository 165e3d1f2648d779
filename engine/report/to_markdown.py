"""The report as Markdown: the same document as the HTML page, for wikis and repositories.

Text typed by people (reasons, notes, a control's reason) may hold characters Markdown
reads as markup or HTML; they are backslash-escaped here so that the file shows exactly
what the page shows.  Underscores are left alone: ids such as ``nato_article5`` are
written with them, and CommonMark does not read an underscore inside a word as emphasis.
"""

from __future__ import annotations

import re

from engine.report.document import Block, Bullets, Document, Figure, Item, Paragraph, Section, Table
from engine.report.to_html import slug

_MARKUP = re.compile(r"([\\`*\[\]<>|])")
_LINE_START = re.compile(r"^([#>+-]|\d+[.)])")


def escape_markdown(text: str, starts_line: bool = False) -> str:
    """``text`` on one line with Markdown's markup characters escaped; when it starts a
    line, a leading ``#``, ``-`` or ``1.`` too, which would make it a heading or a list."""
    flat = " ".join(text.split())
    escaped = _MARKUP.sub(r"\\\1", flat)
    return _LINE_START.sub(r"\\\1", escaped) if starts_line else escaped


def _item(item: Item) -> str:
    if not item.tag:
        return f"- {escape_markdown(item.text, starts_line=True)}"
    return f"- **{escape_markdown(item.tag)}:** {escape_markdown(item.text)}"


def _row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(escape_markdown(cell) or " " for cell in cells) + " |"


def _block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [escape_markdown(block.text, starts_line=True), ""]
    if isinstance(block, Bullets):
        return [*(_item(i) for i in block.items), ""]
    if isinstance(block, Table):
        rule = "| " + " | ".join("---" for _ in block.header) + " |"
        return [_row(block.header), rule, *(_row(row) for row in block.rows), ""]
    if isinstance(block, Figure):
        caption = escape_markdown(block.caption)
        return [f"![{caption}]({block.path})", "", f"*{caption}*", ""]
    return _section(block)


def _section(section: Section) -> list[str]:
    level = min(max(section.level, 2), 6)
    lines = [f"{'#' * level} {escape_markdown(section.title)}", ""]
    for block in section.blocks:
        lines.extend(_block(block))
    return lines


def render_markdown(document: Document) -> str:
    """The whole file."""
    subtitle = escape_markdown(document.subtitle, starts_line=True)
    lines = [f"# {escape_markdown(document.title)}", "", subtitle, ""]
    lines += [f"- [{escape_markdown(s.title)}](#{slug(s.title)})" for s in document.sections]
    lines.append("")
    for section in document.sections:
        lines.extend(_section(section))
    return "\n".join(lines).rstrip("\n") + "\n"
