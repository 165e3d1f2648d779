"""The report as one HTML page: inline style, relative links to its figures, no script.

The page must open from a shared folder or an e-mail attachment on a machine with no
network, and be printed for the room, so it loads nothing from elsewhere and runs no
code.  All text is escaped here, once: names, reasons and notes typed by people reach
the page only through :func:`html.escape`.
"""

from __future__ import annotations

import re
from html import escape

from engine.report.document import Block, Bullets, Document, Figure, Item, Paragraph, Section, Table

STYLE = """
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2328;
       background: #faf8f3; margin: 0 auto; max-width: 72rem; padding: 1.5rem 2rem 4rem;
       line-height: 1.45; }
h1 { font-size: 1.9rem; margin-bottom: 0.2rem; }
h2 { border-bottom: 2px solid #c9c3b6; padding-bottom: 0.2rem; margin-top: 2.5rem; }
h3 { margin-top: 1.6rem; }
h4 { margin: 1rem 0 0.4rem; }
.subtitle { color: #57606a; margin-top: 0; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.4rem 1.2rem; }
table { border-collapse: collapse; margin: 0.6rem 0 1rem; font-size: 0.92rem; }
th, td { border: 1px solid #d0ccc2; padding: 0.25rem 0.6rem; text-align: left;
         vertical-align: top; }
th { background: #ece7dc; }
tr:nth-child(even) td { background: #f3f0e8; }
ul.items { padding-left: 1.2rem; }
ul.items li { margin: 0.15rem 0; }
.tag { display: inline-block; min-width: 5.5rem; font-size: 0.75rem; font-weight: bold;
       text-transform: uppercase; letter-spacing: 0.03em; color: #57606a; }
.tag-red-line, .tag-crossed, .tag-failed { color: #b3261e; }
.tag-enforced, .tag-armed { color: #1b7837; }
.tag-escalation, .tag-combat, .tag-loss { color: #a05a00; }
.tag-white-cell { color: #6a3d9a; }
.tag-why { color: #2f6fb5; }
.tag-bookmark, .tag-note { color: #7a5c00; }
figure { margin: 1rem 0 1.6rem; }
figure img { max-width: 100%; height: auto; border: 1px solid #d0ccc2; }
figcaption { color: #57606a; font-size: 0.9rem; }
"""


def slug(title: str) -> str:
    """An anchor for a heading, as Markdown viewers make them: lower case and hyphens."""
    words = re.sub(r"[^\w\s-]", "", title.lower()).split()
    return "-".join(words)


def _item(item: Item) -> str:
    if not item.tag:
        return f"<li>{escape(item.text)}</li>"
    tag = escape(item.tag)
    return f'<li><span class="tag tag-{slug(item.tag)}">{tag}</span> {escape(item.text)}</li>'


def _block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [f"<p>{escape(block.text)}</p>"]
    if isinstance(block, Bullets):
        return ['<ul class="items">', *(_item(i) for i in block.items), "</ul>"]
    if isinstance(block, Table):
        head = "".join(f"<th>{escape(cell)}</th>" for cell in block.header)
        rows = [
            "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>"
            for row in block.rows
        ]
        return [
            "<table>",
            f"<thead><tr>{head}</tr></thead>",
            "<tbody>",
            *rows,
            "</tbody>",
            "</table>",
        ]
    if isinstance(block, Figure):
        source, caption = escape(block.path), escape(block.caption)
        return [
            "<figure>",
            f'<img src="{source}" alt="{caption}">',
            f"<figcaption>{caption}</figcaption>",
            "</figure>",
        ]
    return _section(block)


def _section(section: Section) -> list[str]:
    level = min(max(section.level, 2), 6)
    title = escape(section.title)
    if level > 2:
        lines = [f"<h{level}>{title}</h{level}>"]
    else:
        lines = ["<section>", f'<h2 id="{slug(section.title)}">{title}</h2>']
    for block in section.blocks:
        lines.extend(_block(block))
    return [*lines, "</section>"] if level == 2 else lines


def render_html(document: Document) -> str:
    """The whole page."""
    contents = "".join(
        f'<li><a href="#{slug(s.title)}">{escape(s.title)}</a></li>' for s in document.sections
    )
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(document.title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{escape(document.title)}</h1>",
        f'<p class="subtitle">{escape(document.subtitle)}</p>',
        "</header>",
        f"<nav><ul>{contents}</ul></nav>",
    ]
    for section in document.sections:
        lines.extend(_section(section))
    lines += ["</body>", "</html>", ""]
    return "\n".join(lines)
