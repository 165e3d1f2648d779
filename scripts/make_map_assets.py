"""Write assets/map/geography.json: every country's outline, simplified, for the map view.

The map view draws each theater over real coastlines and borders.  Natural Earth's 1:50m
countries (public domain) are the source, but the installed program must never read
``../shared``, and the raw GeoJSON is 4.7 MB of detail a 800-pixel pane cannot show.  This
script derives one compact file the view loads in a few milliseconds: for each country
(keyed by ``ADM0_A3``, because ``ISO_A3`` is ``-99`` for France and Norway) its name and
the outer ring of each of its polygons, simplified with Douglas-Peucker (shared borders
once, so neighbours still meet) and rounded to 0.01 degree, plus ``aliases`` from the ISO
code to ``ADM0_A3`` where the two differ (``SSD`` -> ``SDS``).  Holes are dropped: the
view draws the largest parts first, so enclaves are painted over their surroundings.  The
whole world is kept, so a scenario anywhere can be drawn.

Run it from the repository root after changing the source or the parameters, and commit
what it writes (the output is deterministic: the same bytes on every run)::

    .venv/bin/python scripts/make_map_assets.py
    .venv/bin/python scripts/make_map_assets.py path/to/ne_50m_admin_0_countries.json

It also writes ``assets/map/SOURCE.txt``, the licence note that travels with the data.
To look at the result as a player would, render every theater of the default scenario and
the tutorial (base map, side colours, area names) to PNG files, without a display::

    .venv/bin/python scripts/make_map_assets.py --preview /tmp/redline-map
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "naturalearth" / "ne_50m_admin_0_countries.json"
OUT_DIR = ROOT / "assets" / "map"

TOLERANCE = 0.03
"""Douglas-Peucker tolerance in degrees: about 3 km, under a pixel of a theater-sized pane."""
DECIMALS = 2
"""Coordinates are rounded to 0.01 degree (about 1 km), which is what keeps the file small."""
MIN_AREA = 0.004
"""Parts smaller than this (square degrees, about 40 km² at mid-latitudes) are dropped,
unless they are the largest part of their country, so Guam, Malta or Okinawa survive and
a country never disappears."""

Ring = npt.NDArray[np.float64]


def simplify_open(points: Ring, tolerance: float) -> list[int]:
    """Indices kept by Douglas-Peucker on an open polyline (both ends always kept).

    Iterative with an explicit stack, so long coastlines cannot hit the recursion limit,
    and vectorised per segment with numpy; ties pick the first farthest point, which keeps
    the result deterministic.
    """
    keep = np.zeros(len(points), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        start, end = points[first], points[last]
        inner = points[first + 1 : last]
        dx, dy = end - start
        length = math.hypot(dx, dy)
        if length == 0.0:
            distances = np.hypot(inner[:, 0] - start[0], inner[:, 1] - start[1])
        else:
            distances = np.abs(dy * (inner[:, 0] - start[0]) - dx * (inner[:, 1] - start[1]))
            distances /= length
        farthest = int(np.argmax(distances))
        if distances[farthest] > tolerance:
            split = first + 1 + farthest
            keep[split] = True
            stack.append((first, split))
            stack.append((split, last))
    return [int(i) for i in np.flatnonzero(keep)]


def simplify_ring(ring: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker on a closed ring with no shared borders, split at its first point
    and the point farthest from it, so both halves are open lines and the ring closes."""
    if np.array_equal(ring[0], ring[-1]):
        ring = ring[:-1]
    if len(ring) < 3:
        return ring
    far = int(np.argmax(np.hypot(ring[:, 0] - ring[0, 0], ring[:, 1] - ring[0, 1])))
    if far == 0:
        return ring[:1]
    first_half = simplify_open(ring[: far + 1], tolerance)
    second = np.vstack([ring[far:], ring[:1]])
    second_half = simplify_open(second, tolerance)
    indices = first_half + [far + i for i in second_half[1:-1]]
    return ring[indices]


Point = tuple[float, float]


class Topology:
    """Which rings each vertex belongs to, so shared borders are simplified identically.

    Simplifying two neighbours' rings independently moves their common border in two
    different ways, leaving slivers of 'sea' between countries.  Natural Earth gives a
    shared border the same vertices in both rings, so a vertex whose set of rings differs
    from a neighbour's is a junction (where a border meets a coast or a third country);
    cutting every ring at its junctions gives pieces that are either coast or one whole
    shared border, and a shared border is simplified once, in a canonical direction.
    """

    def __init__(self, rings: list[Ring]) -> None:
        owners: dict[Point, set[int]] = {}
        for number, ring in enumerate(rings):
            for lon, lat in ring.tolist():
                owners.setdefault((lon, lat), set()).add(number)
        self.owners = {point: frozenset(rings) for point, rings in owners.items()}
        self.cache: dict[tuple[Point, ...], list[Point]] = {}

    def simplify(self, ring: Ring, tolerance: float) -> Ring:
        """The ring simplified piece by piece between junctions (whole if it has none)."""
        if np.array_equal(ring[0], ring[-1]):
            ring = ring[:-1]
        points: list[Point] = [(lon, lat) for lon, lat in ring.tolist()]
        count = len(points)
        sets = [self.owners[point] for point in points]
        junctions = [
            i for i in range(count) if sets[i] != sets[i - 1] or sets[i] != sets[(i + 1) % count]
        ]
        if not junctions or count < 4:
            return simplify_ring(ring, tolerance)
        out: list[Point] = []
        for number, start in enumerate(junctions):
            end = junctions[(number + 1) % len(junctions)]
            if end <= start:
                end += count
            piece = tuple(points[i % count] for i in range(start, end + 1))
            out.extend(self.piece(piece, tolerance)[:-1])
        return np.asarray(out, dtype=np.float64)

    def piece(self, piece: tuple[Point, ...], tolerance: float) -> list[Point]:
        """One piece simplified as an open line in a canonical direction (so the two rings
        sharing it get the same points), cached for the neighbour's turn."""
        forward = piece <= piece[::-1]
        key = piece if forward else piece[::-1]
        if key not in self.cache:
            line = np.asarray(key, dtype=np.float64)
            self.cache[key] = [key[i] for i in simplify_open(line, tolerance)]
        kept = self.cache[key]
        return kept if forward else kept[::-1]


def tidy(ring: Ring) -> list[list[float]]:
    """Round to ``DECIMALS``, drop consecutive duplicates and close the ring."""
    rounded = np.round(ring, DECIMALS)
    out: list[list[float]] = []
    for lon, lat in rounded.tolist():
        point = [round(lon, DECIMALS) + 0.0, round(lat, DECIMALS) + 0.0]
        if not out or out[-1] != point:
            out.append(point)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    if out:
        out.append(list(out[0]))
    return out


def ring_area(ring: list[list[float]]) -> float:
    """Area in square degrees, longitude scaled by cos(latitude) so polar slivers are not
    mistaken for large islands."""
    if len(ring) < 4:
        return 0.0
    points = np.asarray(ring)
    x = points[:, 0] * math.cos(math.radians(float(points[:, 1].mean())))
    y = points[:, 1]
    return float(abs(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1])) / 2.0)


def outer_rings(geometry: dict[str, Any]) -> list[Ring]:
    """The outer ring of every polygon of a Polygon or MultiPolygon geometry."""
    if geometry["type"] == "Polygon":
        polygons = [geometry["coordinates"]]
    elif geometry["type"] == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        raise ValueError(f"unexpected geometry type {geometry['type']!r}")
    return [np.asarray(polygon[0], dtype=np.float64) for polygon in polygons]


def country_parts(rings: list[Ring], topology: Topology) -> list[list[list[float]]]:
    """A country's simplified parts, largest first; tiny or collapsed parts are dropped
    except the largest, which is kept at a finer tolerance if it must be."""
    candidates: list[tuple[float, list[list[float]]]] = []
    for ring in rings:
        tidied = tidy(topology.simplify(ring, TOLERANCE))
        if len(tidied) < 4:
            tidied = tidy(simplify_ring(ring, TOLERANCE / 4))
        if len(tidied) < 4:
            tidied = tidy(ring)
        if len(tidied) < 4:
            continue
        candidates.append((ring_area(tidied), tidied))
    candidates.sort(key=lambda item: -item[0])
    return [ring for index, (area, ring) in enumerate(candidates) if index == 0 or area >= MIN_AREA]


def build(source: Path) -> dict[str, Any]:
    """The asset as a JSON-ready mapping, countries sorted by code."""
    data = json.loads(source.read_text(encoding="utf-8"))
    features = [
        (str(f["properties"]["ADM0_A3"]), str(f["properties"]["NAME"]), outer_rings(f["geometry"]))
        for f in data["features"]
    ]
    topology = Topology([ring for _, _, rings in features for ring in rings])
    countries: dict[str, Any] = {}
    for code, name, rings in features:
        parts = country_parts(rings, topology)
        if not parts:
            continue
        if code in countries:
            countries[code]["parts"].extend(parts)
        else:
            countries[code] = {"name": name, "parts": parts}
    aliases = {
        str(f["properties"]["ISO_A3"]): str(f["properties"]["ADM0_A3"])
        for f in data["features"]
        if str(f["properties"]["ISO_A3"]) not in ("-99", str(f["properties"]["ADM0_A3"]))
    }
    return {
        "source": (
            "Natural Earth 4.0.0 (public domain, naturalearthdata.com), "
            f"1:50m admin 0 countries, derived from {source.name} by scripts/make_map_assets.py"
        ),
        "simplified": TOLERANCE,
        "aliases": {iso: aliases[iso] for iso in sorted(aliases)},
        "countries": {code: countries[code] for code in sorted(countries)},
    }


SOURCE_NOTE = """\
assets/map/geography.json: country outlines for the Redline map view.

What: the outer ring of every polygon of every country of Natural Earth's 1:50m
"Admin 0 - Countries" layer, keyed by ADM0_A3, simplified (Douglas-Peucker, {tolerance}
degree, shared borders simplified once) and rounded to 0.01 degree; holes dropped, and
parts under {min_area} square degree except each country's largest; ISO_A3 aliases.
Version: Natural Earth 4.0.0, as GeoJSON from github.com/martynafford/natural-earth-geojson
(commit 0b9a6ceb0a7032713abd9460ac1e995a9c60cd1e, converted with GDAL ogr2ogr).
Licence: Natural Earth data is in the public domain (naturalearthdata.com/about/terms-of-use);
the GeoJSON repository is released under CC0 1.0 Universal. No attribution is required;
we credit "Made with Natural Earth" anyway.
Derived from: {source} (Natural Earth 4.0.0, 1:50m cultural, admin 0 countries),
kept in ../shared/data/naturalearth/ beside the repository; the program never reads it.
Command: .venv/bin/python scripts/make_map_assets.py
"""


PREVIEWS = (
    ("default", "scenarios/default.yaml", ("europe", "asia")),
    ("tutorial", "scenarios/tutorial.yaml", ("europe",)),
)


def preview(directory: Path, size: tuple[int, int] = (800, 860)) -> list[Path]:
    """Render the shipped scenarios' theaters as a player would see them, to check the
    asset and the area regions by eye; returns the PNG files written."""
    import os
    import time

    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    sys.path.insert(0, str(ROOT))
    import pygame

    from engine.content import load_game
    from engine.view.basemap import TheaterMap

    pygame.display.init()
    pygame.font.init()
    font = pygame.font.Font(None, 20)
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, scenario, theaters in PREVIEWS:
        spec = load_game(ROOT / scenario).spec
        side_color = {side.id: side.color for side in spec.sides}
        actor_side = {actor.id: actor.side for actor in spec.actors}
        colors: dict[str, tuple[int, int, int]] = {}
        for area in spec.areas:
            code = side_color.get(actor_side.get(area.controller, ""), "").lstrip("#")
            if len(code) == 6:
                colors[area.id] = (int(code[0:2], 16), int(code[2:4], 16), int(code[4:6], 16))
        for theater in theaters:
            started = time.perf_counter()
            view = TheaterMap(spec, theater, size)
            elapsed = time.perf_counter() - started
            canvas = view.background.copy()
            canvas.blit(view.control_overlay(colors), (0, 0))
            areas = [a for a in spec.areas if a.id in view.area_ids or a.id in view.offmap_boxes]
            for area in areas:
                x, y = view.anchor(area.id)
                label = font.render(area.name, True, (20, 20, 24))
                canvas.blit(label, label.get_rect(midtop=(x, y + 4)))
                pygame.draw.circle(canvas, (20, 20, 24), (x, y), 3)
            out = directory / f"{name}-{theater}.png"
            pygame.image.save(canvas, str(out))
            written.append(out)
            print(f"{out}: built in {elapsed * 1000:.0f} ms")
    return written


def main(argv: list[str] | None = None) -> int:
    """Write geography.json and SOURCE.txt and print the size of the asset."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "source",
        nargs="?",
        type=Path,
        default=DEFAULT_SOURCE,
        help="ne_50m_admin_0_countries.json (default: ../shared/data/naturalearth/)",
    )
    parser.add_argument(
        "--preview",
        type=Path,
        metavar="DIR",
        help="render the shipped scenarios' maps to PNG files in DIR instead",
    )
    args = parser.parse_args(argv)
    if args.preview is not None:
        preview(args.preview)
        return 0
    source: Path = args.source
    if not source.is_file():
        print(f"error: {source} not found", file=sys.stderr)
        return 1
    asset = build(source)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    text = json.dumps(asset, separators=(",", ":"), ensure_ascii=False) + "\n"
    out = OUT_DIR / "geography.json"
    out.write_text(text, encoding="utf-8")
    note = SOURCE_NOTE.format(tolerance=TOLERANCE, min_area=MIN_AREA, source=source.name)
    (OUT_DIR / "SOURCE.txt").write_text(note, encoding="utf-8")
    parts = sum(len(country["parts"]) for country in asset["countries"].values())
    points = sum(len(ring) for country in asset["countries"].values() for ring in country["parts"])
    size = out.stat().st_size
    print(
        f"wrote {out.relative_to(ROOT)}: {len(asset['countries'])} countries, "
        f"{parts} parts, {points} points, {size / 1e6:.2f} MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
