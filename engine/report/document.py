"""The report as a small tree of blocks, written once and rendered twice.

The HTML page and the Markdown file must say the same thing.  Rather than write each
section twice (and let the two drift apart), the sections build one :class:`Document`
of plain values, and :mod:`engine.report.to_html` and :mod:`engine.report.to_markdown`
each turn that tree into text.  Blocks hold unescaped text: escaping is the renderer's
job, so that no section can forget it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text."""

    text: str


@dataclass(frozen=True)
class Item:
    """One line of a list; ``tag`` is a short label shown before it ("red line", "why")
    so that a reader scanning a long timeline sees at once what kind of line it is."""

    text: str
    tag: str = ""


@dataclass(frozen=True)
class Bullets:
    """A list of items."""

    items: tuple[Item, ...]


@dataclass(frozen=True)
class Table:
    """A table with a header row; every row has as many cells as the header."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.header):
                raise ValueError(f"a row of {len(row)} cells under {len(self.header)} headings")


@dataclass(frozen=True)
class Figure:
    """An image of the report, by its path relative to the report's folder (POSIX
    separators, so the same link works in the HTML page and the Markdown file)."""

    path: str
    caption: str


@dataclass(frozen=True)
class Section:
    """A heading and its blocks; ``level`` 2 for the report's sections, 3 and 4 below."""

    title: str
    blocks: tuple[Block, ...]
    level: int = 2


Block = Paragraph | Bullets | Table | Figure | Section


@dataclass(frozen=True)
class Document:
    """The whole report: a title, a line saying whose report it is, and its sections."""

    title: str
    subtitle: str
    sections: tuple[Section, ...]
