"""The base map of one theater: Natural Earth land and sea, the scenario's areas, off-map boxes.

A scenario names areas by a point and, for land areas, the countries they stand for; the
map has to turn that into regions a player recognises and can click.  :class:`TheaterMap`
rasterises the countries once per pane size into an index of country parts and gives
every pixel an area:

1. Areas that list countries claim them.  A country part holding one area's point goes to
   that area whole; a part holding several (Russia with Kaliningrad's exclave apart, Ukraine,
   China) is split by growing from each point inside the part; a part holding none goes to
   the one area listing its country, or, for an island of a split country (Kyushu, Hainan),
   to the listing area whose region is nearest.
2. Seas grow through water from their points, competing, each inside a circle, slowly
   through straits (so the Baltic stops at the Danish straits) and at a speed set by how
   close their neighbours are (so the Taiwan Strait stays a strait).
3. Land areas without countries (the tutorial's) take the country part their point is in,
   within a circle, then whole neighbouring countries close to their point.
4. An area too small to click (Guam, Okinawa) takes a disc of water around its point.

Everything the app asks during play is then a lookup in that index: which area is under
the mouse, a tinted overlay for control (a palette lookup), a highlight of the areas a unit
may enter.  The geography comes from ``assets/map/geography.json``, written by
``scripts/make_map_assets.py``; this module never reads Natural Earth itself.  All work
is deterministic: areas are numbered in scenario order, ties in the growth go to the
earlier area, and nothing depends on set or dict iteration order.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt
import pygame

from engine.core.spec import AreaSpec, GameSpec
from engine.errors import RedlineError
from engine.view.geometry import Frame, Projection, theater_frames

Color = tuple[int, int, int]
IntArray = npt.NDArray[np.integer[Any]]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

DEFAULT_GEOGRAPHY = Path(__file__).resolve().parents[2] / "assets" / "map" / "geography.json"
MAKE_COMMAND = ".venv/bin/python scripts/make_map_assets.py"

# Colours, chosen to stay distinct on a washed-out projector: areas in play are lighter
# than the world around them, and lines get darker the more they matter to play.
WATER: Color = (118, 144, 168)
"""Open water: a calm blue-grey, darker than any tinted land so seas never read as land."""
WATER_AREA: Color = (142, 170, 195)
"""Water that belongs to a sea area."""
LAND: Color = (205, 201, 191)
"""Land in no area."""
LAND_AREA: Color = (241, 237, 226)
"""Land that belongs to an area."""
GRATICULE: Color = (108, 134, 158)
COAST: Color = (70, 88, 104)
BORDER: Color = (168, 162, 150)
AREA_EDGE: Color = (58, 56, 54)
"""Outline of land areas: clearly stronger than country borders."""
SEA_EDGE: Color = (62, 88, 114)
"""Outline between water regions (drawn dashed, so seas read as softer limits)."""
STRIP: Color = (226, 222, 212)
STRIP_RULE: Color = (150, 146, 138)
BOX_FILL: Color = (244, 241, 234)
BOX_EDGE: Color = (70, 70, 80)
LINK: Color = (84, 84, 96)

SEA_REACH_KM = 1250.0
"""How far a sea area (or a land area without countries) reaches from its point: enough
for the whole Mediterranean from a point south of Sicily, or for the Philippine Sea to
reach Guam, not so much that one area swallows an ocean (neighbours and straits limit
most seas well before this)."""
NEIGHBOUR_SHARE = 0.7
"""A sea area reaches at most this share of the distance to the nearest other sea area's
point, and grows at a speed in proportion to its reach: a strait between close neighbours
(Taiwan's) stays a strait instead of spreading over half an ocean, while an open sea
with no close neighbour (the Philippine Sea) fills its part of the ocean."""
STRAIT_KM = 30.0
"""Water with land this close on two opposite sides is a strait, slow for a sea to cross."""
STRAIT_COST = 8
STRAIT_SLACK = 1.3
"""A sea may spend this many reaches of weighted distance (straits count ``STRAIT_COST``
times), so it can follow a coast but does not leak far through a narrow strait."""
LAND_ADOPT = 0.3
"""A land area without countries takes a whole neighbouring country whose centre is within
this share of the reach from its point (Lithuania from a point in Latvia, 150 km; not the
Netherlands from the middle of Germany, 310 km)."""
SNAP_KM = 400.0
"""How far an area's point may lie off its countries' land and still seed it."""
STRIP_SHARE = 0.15
"""Height of the off-map strip as a share of the pane."""
CONTROL_ALPHA = 72
CONTROL_EDGE_ALPHA = 190
HIGHLIGHT_FILL_ALPHA = 70
LINK_ALPHA = 150
_CACHE_LIMIT = 16


class MapAssetError(RedlineError):
    """The map geography asset is missing or unreadable; the message names the file and
    the command that writes it."""


@dataclass(frozen=True, slots=True)
class CountryPart:
    """One polygon of a country: its outer ring in degrees and its bounding box."""

    country: str
    ring: npt.NDArray[np.float64]
    """``(n, 2)`` array of longitude, latitude; closed (first point repeated)."""
    west: float
    east: float
    south: float
    north: float
    area: float
    """Rough size in square degrees, used only to draw large parts first."""

    def overlaps(self, frame: Frame) -> bool:
        """Whether the part's bounding box meets the frame."""
        return not (
            self.east < frame.west
            or self.west > frame.east
            or self.north < frame.south
            or self.south > frame.north
        )


class Geography:
    """Every country's outline, loaded from ``assets/map/geography.json``.

    Parts are held largest first (then by country code), the order the map draws them so
    that enclaves end up on top of the country around them.
    """

    _cache: ClassVar[dict[Path, Geography]] = {}

    def __init__(
        self,
        source: str,
        names: Mapping[str, str],
        parts: Sequence[CountryPart],
        aliases: Mapping[str, str] | None = None,
    ) -> None:
        self.source = source
        self.names = dict(names)
        """Country name by ``ADM0_A3`` code."""
        self.parts = tuple(parts)
        self.aliases = dict(aliases or {})
        """``ADM0_A3`` code by ISO alpha-3 code, where they differ (``SSD`` -> ``SDS``)."""

    def resolve(self, code: str) -> str:
        """The ``ADM0_A3`` code a scenario's country code stands for (ISO codes accepted)."""
        return code if code in self.names else self.aliases.get(code, code)

    def has_country(self, code: str) -> bool:
        """Whether the asset holds this country (by ``ADM0_A3`` or ISO alpha-3 code)."""
        return self.resolve(code) in self.names

    @classmethod
    def load(cls, path: Path | None = None) -> Geography:
        """Read the asset (the repository's ``assets/map/geography.json`` by default),
        once per path."""
        target = (path or DEFAULT_GEOGRAPHY).resolve()
        cached = cls._cache.get(target)
        if cached is None:
            cached = cls._cache[target] = _read_geography(target)
        return cached


def _read_geography(path: Path) -> Geography:
    """Parse and check the asset, turning every failure into one :class:`MapAssetError`."""
    hint = f"run `{MAKE_COMMAND}` to write it"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MapAssetError(f"{path}: map geography not found; {hint}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise MapAssetError(f"{path}: map geography cannot be read ({error}); {hint}") from None
    try:
        return _parse_geography(data)
    except (KeyError, TypeError, ValueError, IndexError) as error:
        raise MapAssetError(
            f"{path}: map geography is malformed ({type(error).__name__}: {error}); {hint}"
        ) from None


def _parse_geography(data: Any) -> Geography:
    """Build the parts from the decoded JSON (raising on any structural problem)."""
    names: dict[str, str] = {}
    parts: list[CountryPart] = []
    countries = data["countries"]
    if not isinstance(countries, dict):
        raise TypeError("'countries' is not a mapping")
    for code in sorted(countries):
        country = countries[code]
        names[code] = str(country["name"])
        for ring in country["parts"]:
            points = np.asarray(ring, dtype=np.float64)
            if points.ndim != 2 or points.shape[1] != 2 or len(points) < 4:
                raise ValueError(f"a part of {code} is not a ring of [lon, lat] points")
            lons, lats = points[:, 0], points[:, 1]
            width = (lons.max() - lons.min()) * math.cos(math.radians(float(lats.mean())))
            parts.append(
                CountryPart(
                    country=code,
                    ring=points,
                    west=float(lons.min()),
                    east=float(lons.max()),
                    south=float(lats.min()),
                    north=float(lats.max()),
                    area=float(width * (lats.max() - lats.min())),
                )
            )
    order = sorted(range(len(parts)), key=lambda i: (-parts[i].area, parts[i].country, i))
    aliases = {str(iso): str(code) for iso, code in dict(data.get("aliases", {})).items()}
    return Geography(str(data.get("source", "")), names, [parts[i] for i in order], aliases)


class TheaterMap:
    """The rendered base map of one theater at one pane size, and its area index.

    Build it once per pane size (the app re-creates it on resize); everything it is asked
    during play is a lookup.  The map occupies the top of the pane; when the theater has
    off-map boxes they sit in a strip along the bottom, linked to their areas by lines.
    """

    def __init__(
        self,
        spec: GameSpec,
        theater_id: str,
        size: tuple[int, int] = (800, 600),
        geography: Geography | None = None,
    ) -> None:
        if theater_id not in {theater.id for theater in spec.theaters}:
            raise ValueError(f"unknown theater {theater_id!r}")
        width, height = int(size[0]), int(size[1])
        if width < 1 or height < 1:
            raise ValueError(f"a map pane must have a positive size, not {width}×{height}")
        self.spec = spec
        self.theater = theater_id
        self.size = (width, height)
        self.geography = geography or Geography.load()
        self.onmap: tuple[AreaSpec, ...] = tuple(
            area
            for area in spec.areas
            if area.theater == theater_id
            and not area.offmap
            and area.lat is not None
            and area.lon is not None
        )
        """The theater's on-map areas in scenario order; area ``i`` is label ``i + 1``."""
        self.area_ids: tuple[str, ...] = tuple(area.id for area in self.onmap)
        self._label = {area_id: index + 1 for index, area_id in enumerate(self.area_ids)}
        offmap_ids = self._offmap_ids()
        strip_height = round(height * STRIP_SHARE) if offmap_ids else 0
        strip_height = min(strip_height, height - 1)
        self.map_rect = pygame.Rect(0, 0, width, height - strip_height)
        """The part of the pane showing the map (the projection covers exactly this)."""
        self.strip_rect = pygame.Rect(0, height - strip_height, width, strip_height)
        """The off-map strip along the bottom (empty when there are no off-map boxes)."""
        frame = theater_frames(spec).get(theater_id, Frame(-180.0, 180.0, -60.0, 80.0))
        self.projection = Projection(frame, width, self.map_rect.height)
        self.missing_countries: tuple[str, ...] = tuple(
            sorted(
                {
                    code
                    for area in self.onmap
                    for code in area.countries
                    if not self.geography.has_country(code)
                }
            )
        )
        """Country codes the areas list that the geography does not have (drawn as none)."""

        self._parts, self._country_codes, self._part_country, part_index = self._rasterise()
        self._index = self._assign_areas(part_index)
        self._anchors = self._place_anchors()
        self.offmap_boxes: dict[str, pygame.Rect] = {}
        self.links: list[tuple[str, str]] = []
        self._layout_offmap(offmap_ids)
        self.background = self._draw_background(part_index)
        self._band_width = max(2, min(width, height) // 200)
        self._band = _inner_band(self._index, self._band_width)
        self._overlays: dict[tuple[tuple[str, Color], ...], pygame.Surface] = {}
        self._highlights: dict[tuple[frozenset[str], Color], pygame.Surface] = {}

    # ------------------------------------------------------------------ queries

    @property
    def area_index(self) -> IntArray:
        """The area label of every map pixel, indexed ``[x, y]`` over ``map_rect``: 0 for
        no area, ``i + 1`` for ``area_ids[i]`` (read-only use: tests, tools)."""
        return self._index

    def area_at(self, x: int, y: int) -> str | None:
        """The area under a pane pixel: an off-map box or an on-map region, else None."""
        x, y = int(x), int(y)
        for area_id, rect in self.offmap_boxes.items():
            if rect.collidepoint(x, y):
                return area_id
        if 0 <= x < self.map_rect.width and 0 <= y < self.map_rect.height:
            label = int(self._index[x, y])
            return self.area_ids[label - 1] if label else None
        return None

    def anchor(self, area_id: str) -> tuple[int, int]:
        """Where the app stacks an area's counters: the area's point on the map (moved onto
        its region when the point itself falls outside it), or the centre of its box."""
        if area_id in self.offmap_boxes:
            centre = self.offmap_boxes[area_id].center
            return (int(centre[0]), int(centre[1]))
        if area_id in self._anchors:
            return self._anchors[area_id]
        raise KeyError(f"area {area_id!r} is not on the {self.theater} map")

    def control_overlay(self, colors: Mapping[str, Color]) -> pygame.Surface:
        """A transparent surface tinting each area of ``colors`` (area id -> RGB) at modest
        alpha, e.g. in its controller's side colour; cached by the mapping's items."""
        key = tuple(sorted((area_id, _rgb(color)) for area_id, color in colors.items()))
        overlay = self._overlays.get(key)
        if overlay is None:
            tints = {area_id: color for area_id, color in key}
            overlay = self._tint(tints, CONTROL_ALPHA, CONTROL_EDGE_ALPHA)
            _remember(self._overlays, key, overlay)
        return overlay

    def highlight(self, areas: Iterable[str], color: Color) -> pygame.Surface:
        """A transparent surface with ``areas`` filled lightly and outlined strongly, for
        'where may this unit go'; cached by (set of areas, colour)."""
        key = (frozenset(areas), _rgb(color))
        surface = self._highlights.get(key)
        if surface is None:
            chosen = sorted(key[0])
            tints = dict.fromkeys(chosen, key[1])
            surface = self._tint(tints, HIGHLIGHT_FILL_ALPHA, HIGHLIGHT_FILL_ALPHA)
            self._outline(surface, chosen, key[1])
            _remember(self._highlights, key, surface)
        return surface

    # ------------------------------------------------------------------ building

    def _offmap_ids(self) -> list[str]:
        """Off-map areas linked to this theater's on-map areas or naming this theater,
        in scenario order."""
        onmap = set(self._label)
        linked = {
            edge.a if edge.b in onmap else edge.b
            for edge in self.spec.edges
            if (edge.a in onmap) != (edge.b in onmap)
        }
        return [
            area.id
            for area in self.spec.areas
            if area.offmap and (area.theater == self.theater or area.id in linked)
        ]

    def _rasterise(self) -> tuple[list[CountryPart], tuple[str, ...], IntArray, IntArray]:
        """Draw every country part meeting the view into an index image (part ``k`` has
        value ``k + 1``, water 0), larger parts first so enclaves land on top."""
        projection = self.projection
        width, height = self.map_rect.size
        view = projection.view
        parts = [part for part in self.geography.parts if part.overlaps(view)]
        codes = sorted({part.country for part in parts})
        country_number = {code: number + 1 for number, code in enumerate(codes)}
        surface = pygame.Surface((width, height), depth=32)
        surface.fill((0, 0, 0))
        kx = projection.lon_scale * projection.scale
        mapped: list[int] = [surface.map_rgb((0, 0, 0))]
        for number, part in enumerate(parts, start=1):
            color = ((number >> 16) & 255, (number >> 8) & 255, number & 255)
            mapped.append(surface.map_rgb(color))
            xs = (part.ring[:, 0] - view.west) * kx
            ys = (view.north - part.ring[:, 1]) * projection.scale
            points = np.column_stack((xs, ys)).tolist()
            pygame.draw.polygon(surface, color, points)
        raw = pygame.surfarray.array2d(surface).astype(np.int64)
        values = np.asarray(mapped, dtype=np.int64)
        order = np.argsort(values, kind="stable")
        position = np.searchsorted(values[order], raw)
        position = np.clip(position, 0, len(values) - 1)
        index = order[position].astype(np.int32)
        index[values[order][position] != raw] = 0
        part_country = np.asarray(
            [0, *(country_number[part.country] for part in parts)], dtype=np.int32
        )
        return parts, ("", *codes), part_country, index

    def _seed(self, area: AreaSpec) -> tuple[int, int]:
        """The pixel of an area's point, clamped into the map."""
        assert area.lon is not None and area.lat is not None
        x, y = self.projection.to_screen(area.lon, area.lat)
        width, height = self.map_rect.size
        return (min(max(int(x), 0), width - 1), min(max(int(y), 0), height - 1))

    def _assign_areas(self, part_index: IntArray) -> IntArray:
        """The area label of every map pixel (0: no area), in four steps: areas listing
        countries claim them; seas grow through water; land areas without countries
        grow through land; areas left too small to click get a disc around their point."""
        width, height = part_index.shape
        grid = _Grid(width, height)
        part = grid.pad(part_index)
        labels = np.zeros_like(part)
        land = part > 0
        self._claim_countries(grid, labels, part)
        sea, ground, centres = self._sources(grid, labels, land)
        reach = max(2.0, self.projection.km_to_pixels(SEA_REACH_KM))
        if sea:
            self._grow_seas(grid, labels, land, sea, centres, reach)
        if ground:
            self._grow_lands(grid, labels, part, ground, centres, reach)
        self._stamp_islands(grid, labels, land)
        return grid.unpad(labels)

    def _claim_countries(self, grid: _Grid, labels: IntArray, part: IntArray) -> None:
        """Step 1: each country part goes to the area whose point lies in it (split by
        growth inside the part when several do: Ukraine, Russia, China), else whole to the
        one area listing its country, else (an island of a split country) to the nearest
        listing area.  A point off its countries' land (Tianjin's in the Bohai Sea) is moved
        to the nearest land of those countries; a point on another country's land (Crimea,
        Russian in Natural Earth, listed as Ukraine) claims the part it lies in."""
        country = self._part_country[part]
        numbers = {code: number for number, code in enumerate(self._country_codes)}
        snap = self.projection.km_to_pixels(SNAP_KM)
        listing: dict[int, list[int]] = {}
        seeds: dict[int, list[tuple[int, int]]] = {}
        for label, area in enumerate(self.onmap, start=1):
            if not area.countries:
                continue
            codes = [self.geography.resolve(code) for code in area.countries]
            mine = [numbers[code] for code in codes if code in numbers]
            for number in mine:
                listing.setdefault(number, []).append(label)
            x, y = self._seed(area)
            flat: int | None = grid.flat(x, y)
            if flat is not None and part[flat] == 0:
                flat = _nearest(grid, np.isin(country, mine), x, y, snap) if mine else None
            if flat is not None:
                seeds.setdefault(int(part[flat]), []).append((label, flat))
        part_to_area = np.zeros(len(self._parts) + 1, dtype=np.int32)
        contested: list[tuple[int, int]] = []
        islands: list[int] = []
        for number in range(1, len(self._parts) + 1):
            inside = seeds.get(number, [])
            claimants = listing.get(int(self._part_country[number]), [])
            if len({label for label, _ in inside}) == 1:
                part_to_area[number] = inside[0][0]
            elif inside:
                contested.extend(inside)
            elif len(claimants) == 1:
                part_to_area[number] = claimants[0]
            elif claimants:
                islands.append(number)
        labels[:] = part_to_area[part]
        if contested:
            sources, owners = _unzip(contested)
            grid.grow(labels, part > 0, sources, owners, None, same=part)
        if islands:
            self._settle_islands(grid, labels, part, islands, listing)

    def _sources(
        self, grid: _Grid, labels: IntArray, land: BoolArray
    ) -> tuple[list[tuple[int, int]], list[tuple[int, int]], tuple[IntArray, IntArray]]:
        """The starting pixel of every area without countries, split into seas (a point on
        water) and land areas (a point on unclaimed land), and every area's centre by
        label.  A point on land another area claimed moves to the nearest free pixel."""
        snap = self.projection.km_to_pixels(SNAP_KM)
        centre_x = np.zeros(len(self.onmap) + 1, dtype=np.int64)
        centre_y = np.zeros(len(self.onmap) + 1, dtype=np.int64)
        sea: list[tuple[int, int]] = []
        ground: list[tuple[int, int]] = []
        for label, area in enumerate(self.onmap, start=1):
            if area.countries:
                continue
            x, y = self._seed(area)
            flat: int | None = grid.flat(x, y)
            if flat is not None and labels[flat] != 0:
                flat = _nearest(grid, ~land | (labels == 0), x, y, snap)
            if flat is None:
                continue
            centre_x[label], centre_y[label] = grid.point(flat)
            (ground if land[flat] else sea).append((label, flat))
        return sea, ground, (centre_x, centre_y)

    def _grow_seas(
        self,
        grid: _Grid,
        labels: IntArray,
        land: BoolArray,
        sea: Sequence[tuple[int, int]],
        centres: tuple[IntArray, IntArray],
        reach: float,
    ) -> None:
        """Step 2: seas grow through water from their points, competing, each inside its
        circle, at a speed set by its room, and slowly through straits."""
        sources, owners = _unzip(sea)
        room, radius = self._sea_room(sea, centres, reach)
        slowness = float(room[owners].max()) / np.maximum(room, 1.0)
        speed = (np.rint(5 * slowness).astype(np.int64), np.rint(7 * slowness).astype(np.int64))
        limit = np.rint(5 * slowness * STRAIT_SLACK * radius).astype(np.int64)
        grid.grow(
            labels,
            ~land & grid.inside,
            sources,
            owners,
            limit,
            weight=self._strait_weight(grid, land),
            within=(centres[0], centres[1], radius),
            speed=speed,
        )

    def _grow_lands(
        self,
        grid: _Grid,
        labels: IntArray,
        part: IntArray,
        ground: Sequence[tuple[int, int]],
        centres: tuple[IntArray, IntArray],
        reach: float,
    ) -> None:
        """Step 3: land areas without countries take the unclaimed land of the country part
        their point is in, within their circle (split by growth when several share it),
        then whole neighbouring countries close to their point."""
        allowed = (part > 0) & (labels == 0)
        sharing: dict[int, list[tuple[int, int]]] = {}
        for label, flat in ground:
            sharing.setdefault(int(part[flat]), []).append((label, flat))
        xs, ys = grid.coords(np.arange(labels.size))
        crowded: list[tuple[int, int]] = []
        for number, members in sorted(sharing.items()):
            if len(members) > 1:
                crowded.extend(members)
                continue
            label = members[0][0]
            near = (xs - centres[0][label]) ** 2 + (ys - centres[1][label]) ** 2 <= reach * reach
            labels[allowed & (part == number) & near] = label
        if crowded:
            sources, owners = _unzip(crowded)
            radius = np.full(len(self.onmap) + 1, reach, dtype=np.float64)
            circle = (centres[0], centres[1], radius)
            grid.grow(labels, allowed, sources, owners, None, same=part, within=circle)
        owners = np.asarray(sorted({label for label, _ in ground}), dtype=np.int32)
        self._adopt_neighbours(grid, labels, part, owners, centres, reach)

    def _stamp_islands(self, grid: _Grid, labels: IntArray, land: BoolArray) -> None:
        """Step 4: an area too small to click (Guam, Okinawa) also takes the water in a
        disc around its point, kept clear of the other areas' points."""
        counts = np.bincount(labels.ravel(), minlength=len(self.onmap) + 1)
        radius = max(6, min(grid.width, grid.height) // 45)
        seeds = [self._seed(area) for area in self.onmap]
        for label, (x, y) in enumerate(seeds, start=1):
            if counts[label] * 4 >= math.pi * radius * radius:
                continue
            disc = grid.disc(x, y, radius)
            for other, (ox, oy) in enumerate(seeds, start=1):
                if other != label:
                    dx, dy = grid.coords(disc)
                    disc = disc[(dx - ox) ** 2 + (dy - oy) ** 2 > (radius // 2) ** 2]
            free = ~land[disc] | (labels[disc] == label) | (labels[disc] == 0)
            labels[disc[free]] = label

    def _adopt_neighbours(
        self,
        grid: _Grid,
        labels: IntArray,
        part: IntArray,
        owners: IntArray,
        centres: tuple[IntArray, IntArray],
        reach: float,
    ) -> None:
        """After their own country part, land areas without countries take whole
        neighbouring countries close to their point, so a 'Baltics' area placed in Latvia
        takes Lithuania and Estonia, 'Germany' does not take the Netherlands, and no
        border is cut."""
        free = (labels == 0) & (part > 0)
        touched: dict[int, list[int]] = {}
        for owner in sorted(set(owners.tolist())):
            beside = free & grid.touching(labels == owner)
            for number in np.unique(part[beside]).tolist():
                touched.setdefault(int(number), []).append(owner)
        limit = LAND_ADOPT * reach
        for number in sorted(touched):
            pixels = np.flatnonzero(part == number)
            if not free[pixels].all():
                continue
            xs, ys = grid.coords(pixels)
            cx, cy = float(xs.mean()), float(ys.mean())
            distance, owner = min(
                (math.hypot(cx - centres[0][o], cy - centres[1][o]), o) for o in touched[number]
            )
            if distance <= limit:
                labels[pixels] = owner

    def _sea_room(
        self, sea: Sequence[tuple[int, int]], centres: tuple[IntArray, IntArray], reach: float
    ) -> tuple[FloatArray, FloatArray]:
        """Each sea area's room (``NEIGHBOUR_SHARE`` of the distance to the nearest other
        sea's point, capped by the reach), which sets its growth speed, and its radius (the
        reach, or the distance to that neighbour if closer), both in pixels by label."""
        room = np.full(len(self.onmap) + 1, reach, dtype=np.float64)
        radius = room.copy()
        for label, _ in sea:
            for other, _ in sea:
                if other != label:
                    here = (float(centres[0][label]), float(centres[1][label]))
                    there = (float(centres[0][other]), float(centres[1][other]))
                    gap = max(math.dist(here, there), 0.25 * reach)
                    room[label] = min(room[label], NEIGHBOUR_SHARE * gap)
                    radius[label] = min(radius[label], gap)
        return room, radius

    def _strait_weight(self, grid: _Grid, land: BoolArray) -> IntArray:
        """Cost multiplier of entering each pixel: ``STRAIT_COST`` on water with land close
        on two opposite sides (a strait: the Danish belts, Tsugaru, Gibraltar), 1 elsewhere,
        so a sea does not leak through a narrow passage into the next basin."""
        shape = (grid.width + 2, grid.height + 2)
        solid = land.reshape(shape)
        reach = max(1, round(self.projection.km_to_pixels(STRAIT_KM)))
        near: dict[tuple[int, int], BoolArray] = {}
        for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, -1), (1, -1), (-1, 1)):
            hit = np.zeros(shape, dtype=bool)
            for step in range(1, reach + 1):
                hit |= _shifted(solid, dx * step, dy * step)
            near[(dx, dy)] = hit
        strait = np.zeros(shape, dtype=bool)
        for dx, dy in ((1, 0), (0, 1), (1, 1), (1, -1)):
            strait |= near[(dx, dy)] & near[(-dx, -dy)]
        weight = np.ones(land.size, dtype=np.int32)
        weight[(strait & ~solid).ravel()] = STRAIT_COST
        return weight

    def _settle_islands(
        self,
        grid: _Grid,
        labels: IntArray,
        part: IntArray,
        deferred: list[int],
        listing: Mapping[int, list[int]],
    ) -> None:
        """Give each part of a split country that holds none of its areas' points (an
        island such as Kyushu or Hainan) whole to the listing area whose region is
        nearest, or whose point is nearest when none has a region yet."""
        edge = grid.edges(labels)
        samples: dict[int, IntArray] = {}
        for number in deferred:
            claimants = listing[int(self._part_country[number])]
            pixels = np.flatnonzero(part == number)
            if not pixels.size:
                continue
            pixels = pixels[:: max(1, pixels.size // 64)]
            px, py = grid.coords(pixels)
            best: tuple[float, int] | None = None
            for label in claimants:
                if label not in samples:
                    rim = np.flatnonzero(edge & (labels == label))
                    samples[label] = rim[:: max(1, rim.size // 1500)]
                own = samples[label]
                if own.size:
                    ox, oy = grid.coords(own)
                else:
                    sx, sy = self._seed(self.onmap[label - 1])
                    ox, oy = np.asarray([sx + 1]), np.asarray([sy + 1])
                d2 = (px[:, None] - ox[None, :]) ** 2 + (py[:, None] - oy[None, :]) ** 2
                distance = float(d2.min())
                if best is None or distance < best[0]:
                    best = (distance, label)
            if best is not None:
                labels[part == number] = best[1]

    def _place_anchors(self) -> dict[str, tuple[int, int]]:
        """Each on-map area's anchor: its point, or the nearest pixel of its region when
        the point lies outside it (a coastal city's point in the sea, say).  An area left
        with no pixel at all (a pane too small to show it) is given the free pixel nearest
        its point, so every area can still be clicked."""
        anchors: dict[str, tuple[int, int]] = {}
        homeless: list[tuple[int, AreaSpec]] = []
        for label, area in enumerate(self.onmap, start=1):
            x, y = self._seed(area)
            if self._index[x, y] != label:
                xs, ys = np.nonzero(self._index == label)
                if not xs.size:
                    homeless.append((label, area))
                    continue
                nearest = int(np.argmin((xs - x) ** 2 + (ys - y) ** 2))
                x, y = int(xs[nearest]), int(ys[nearest])
            anchors[area.id] = (x, y)
        width, height = self._index.shape
        for label, area in homeless:
            x, y = self._seed(area)
            taken = set(anchors.values())
            xs, ys = np.indices((width, height))
            order = np.argsort(((xs - x) ** 2 + (ys - y) ** 2).ravel(), kind="stable")
            for flat in order[: len(taken) + 1].tolist():
                spot = (flat // height, flat % height)
                if spot not in taken:
                    self._index[spot] = label
                    anchors[area.id] = spot
                    break
        return {area.id: anchors[area.id] for area in self.onmap}

    def _layout_offmap(self, offmap_ids: list[str]) -> None:
        """Lay the off-map boxes side by side in the strip, ordered by where the areas
        they link to lie (west to east) so the link lines cross as little as possible."""
        if not offmap_ids:
            return
        links: dict[str, list[str]] = {area_id: [] for area_id in offmap_ids}
        for edge in self.spec.edges:
            for box, other in ((edge.a, edge.b), (edge.b, edge.a)):
                if box in links and other in self._label and other not in links[box]:
                    links[box].append(other)
        width = self.size[0]
        strip = self.strip_rect

        def mean_x(area_id: str) -> float:
            targets = links[area_id]
            if not targets:
                return float(width)
            return sum(self._anchors[t][0] for t in targets) / len(targets)

        order = sorted(offmap_ids, key=lambda a: (mean_x(a), offmap_ids.index(a)))
        count = len(order)
        gap = max(4, width // 50)
        box_width = max(8, min((width - gap * (count + 1)) // count, width // 3))
        total = count * box_width + (count - 1) * gap
        left = max(0, (width - total) // 2)
        pad = max(3, strip.height // 8)
        box_height = max(4, strip.height - 2 * pad)
        for number, area_id in enumerate(order):
            x = left + number * (box_width + gap)
            self.offmap_boxes[area_id] = pygame.Rect(x, strip.top + pad, box_width, box_height)
        self.links = [(box, target) for box in order for target in links[box]]

    # ------------------------------------------------------------------ drawing

    def _draw_background(self, part_index: IntArray) -> pygame.Surface:
        """Paint water, land, graticule, borders, coasts and area outlines with numpy,
        then the off-map strip, its boxes and their link lines with pygame."""
        width, height = self.size
        surface = pygame.Surface((width, height))
        surface.fill(STRIP)
        index = self._index
        land = part_index > 0
        image = np.empty((*index.shape, 3), dtype=np.uint8)
        image[:] = WATER
        image[index > 0] = WATER_AREA
        image[land] = LAND
        image[land & (index > 0)] = LAND_AREA
        image[self._graticule() & ~land] = GRATICULE

        country = self._part_country[part_index]
        border = _differs(country) & land
        image[border] = BORDER
        coast = _differs(land.astype(np.int32)) & land
        image[coast] = COAST
        edge = _differs(index, thick=True)
        sea_edge = edge & ~land & ~_touches(land)
        xs, ys = np.indices(index.shape)
        dashes = ((xs + ys) // 5) % 2 == 0
        image[sea_edge & dashes] = SEA_EDGE
        image[edge & ~sea_edge] = AREA_EDGE
        pygame.surfarray.blit_array(surface.subsurface(self.map_rect), image)

        thin = max(1, min(width, height) // 400)
        if self.strip_rect.height:
            strip = self.strip_rect
            surface.fill(STRIP, strip)
            pygame.draw.line(surface, STRIP_RULE, strip.topleft, strip.topright, thin)
            layer = pygame.Surface(self.size, pygame.SRCALPHA)
            for start, end in self._link_lines():
                _dashed_line(layer, (*LINK, LINK_ALPHA), start, end, thin, max(6, 4 * thin))
                pygame.draw.circle(layer, (*LINK, LINK_ALPHA), end, thin + 2)
            surface.blit(layer, (0, 0))
            for box in self.offmap_boxes.values():
                surface.fill(BOX_FILL, box)
                _dashed_rect(surface, BOX_EDGE, box, thin + 1)
        pygame.draw.rect(surface, COAST, self.map_rect, 1)
        return surface

    def _link_lines(self) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """Where each link line runs: from a point on the top of its box (a box's links
        spread along its top edge in west-to-east order, so they do not start on top of
        each other) to just short of the area's anchor, where the counters will stand."""
        lines: list[tuple[tuple[int, int], tuple[int, int]]] = []
        for box_id, box in self.offmap_boxes.items():
            targets = sorted(
                (self._anchors[t][0], n, t) for n, (b, t) in enumerate(self.links) if b == box_id
            )
            for number, (_, _, target) in enumerate(targets):
                start = (box.left + (number + 1) * box.width // (len(targets) + 1), box.top)
                ax, ay = self._anchors[target]
                length = math.dist(start, (ax, ay))
                short = min(length, max(8.0, min(self.size) / 60))
                if length > short:
                    t = (length - short) / length
                    end = (
                        round(start[0] + (ax - start[0]) * t),
                        round(start[1] + (ay - start[1]) * t),
                    )
                    lines.append((start, end))
        return lines

    def _graticule(self) -> BoolArray:
        """Pixels on the 10-degree meridians and parallels (5 for small frames)."""
        projection = self.projection
        view = projection.view
        width, height = self.map_rect.size
        step = 10.0 if max(view.east - view.west, view.north - view.south) > 30 else 5.0
        mask = np.zeros((width, height), dtype=bool)
        lon = math.ceil(view.west / step) * step
        while lon <= view.east:
            x = int(projection.to_screen(lon, view.north)[0])
            if 0 <= x < width:
                mask[x, :] = True
            lon += step
        lat = math.ceil(view.south / step) * step
        while lat <= view.north:
            y = int(projection.to_screen(view.west, lat)[1])
            if 0 <= y < height:
                mask[:, y] = True
            lat += step
        return mask

    def _tint(self, colors: Mapping[str, Color], alpha: int, edge_alpha: int) -> pygame.Surface:
        """An SRCALPHA surface filling each given area (region or box) with its colour, a
        band along the inside of its outline at ``edge_alpha``, the rest at ``alpha``."""
        surface = pygame.Surface(self.size, pygame.SRCALPHA)
        fill = np.zeros(len(self.area_ids) + 1, dtype=np.uint32)
        band = np.zeros(len(self.area_ids) + 1, dtype=np.uint32)
        for area_id, color in colors.items():
            label = self._label.get(area_id)
            if label is not None:
                fill[label] = surface.map_rgb((*color, alpha)) & 0xFFFFFFFF
                band[label] = surface.map_rgb((*color, edge_alpha)) & 0xFFFFFFFF
        pixels = np.zeros(self.size, dtype=np.uint32)
        pixels[:, : self.map_rect.height] = np.where(
            self._band, band[self._index], fill[self._index]
        )
        pygame.surfarray.blit_array(surface, pixels)
        for area_id, color in colors.items():
            box = self.offmap_boxes.get(area_id)
            if box is not None:
                surface.fill((*color, alpha), box)
                inner = box.inflate(-2, -2)
                pygame.draw.rect(surface, (*color, edge_alpha), inner, self._band_width)
        return surface

    def _outline(self, surface: pygame.Surface, areas: Sequence[str], color: Color) -> None:
        """Draw a strong outline around the given areas' regions and boxes."""
        labels = [self._label[a] for a in areas if a in self._label]
        thickness = max(2, min(self.size) // 250)
        if labels:
            mask = np.isin(self._index, labels)
            edge = mask & _differs(mask.astype(np.int32))
            for _ in range(thickness - 1):
                edge |= _touches(edge) & mask
            alpha = pygame.surfarray.pixels_alpha(surface)
            rgb = pygame.surfarray.pixels3d(surface)
            height = self.map_rect.height
            rgb[:, :height][edge] = color
            alpha[:, :height][edge] = 255
            del alpha, rgb
        for area_id in areas:
            box = self.offmap_boxes.get(area_id)
            if box is not None:
                pygame.draw.rect(surface, (*color, 255), box, thickness + 1)


class _Grid:
    """A map-sized grid padded by one pixel of nothing, flattened, so neighbours are index
    offsets and the growth never needs bounds checks."""

    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.height = height
        self.stride = height + 2
        self.inside = self.pad(np.ones((width, height), dtype=np.int32)) > 0
        stride = self.stride
        self.ortho = np.asarray([1, -1, stride, -stride], dtype=np.int64)
        self.diag = np.asarray([stride + 1, stride - 1, -stride + 1, -stride - 1], dtype=np.int64)

    def pad(self, array: IntArray) -> IntArray:
        """A flat copy of a (width, height) array with a zero border."""
        padded = np.zeros((self.width + 2, self.height + 2), dtype=np.int32)
        padded[1:-1, 1:-1] = array
        return padded.ravel()

    def unpad(self, flat: IntArray) -> IntArray:
        """Back to a (width, height) array."""
        return np.ascontiguousarray(flat.reshape(self.width + 2, self.height + 2)[1:-1, 1:-1])

    def flat(self, x: int, y: int) -> int:
        """Flat index of map pixel (x, y) (which must be inside the map)."""
        return (x + 1) * self.stride + (y + 1)

    def coords(self, flat: IntArray) -> tuple[IntArray, IntArray]:
        """Map pixel coordinates of flat indices."""
        return (flat // self.stride - 1, flat % self.stride - 1)

    def point(self, flat: int) -> tuple[int, int]:
        """Map pixel coordinates of one flat index."""
        return (flat // self.stride - 1, flat % self.stride - 1)

    def disc(self, x: int, y: int, radius: int) -> IntArray:
        """Flat indices of the map pixels within ``radius`` of (x, y)."""
        xs, ys = np.meshgrid(
            np.arange(max(0, x - radius), min(self.width, x + radius + 1)),
            np.arange(max(0, y - radius), min(self.height, y + radius + 1)),
            indexing="ij",
        )
        inside = (xs - x) ** 2 + (ys - y) ** 2 <= radius * radius
        flat: IntArray = ((xs[inside] + 1) * self.stride + ys[inside] + 1).astype(np.int64)
        return flat

    def touching(self, mask: BoolArray) -> BoolArray:
        """Flat mask of pixels with a 4-neighbour in the flat ``mask``."""
        grid = mask.reshape(self.width + 2, self.height + 2)
        return _touches(grid).ravel()

    def edges(self, labels: IntArray) -> BoolArray:
        """Flat mask of pixels whose label differs from a 4-neighbour's."""
        grid = labels.reshape(self.width + 2, self.height + 2)
        return _differs(grid).ravel() & self.inside

    def grow(
        self,
        labels: IntArray,
        allowed: BoolArray,
        sources: IntArray,
        owners: IntArray,
        limit: int | IntArray | None,
        *,
        same: IntArray | None = None,
        start: IntArray | None = None,
        weight: IntArray | None = None,
        within: tuple[IntArray, IntArray, FloatArray] | None = None,
        speed: tuple[IntArray, IntArray] | None = None,
    ) -> IntArray:
        """Multi-source growth: each allowed pixel goes to the owner that reaches it first.

        Distances are chamfer distances (2 per straight step, 3 per diagonal one, close to
        Euclidean) processed in increasing order with a bucket queue, so the work is
        proportional to the pixels claimed rather than to the image.  ``limit`` caps the
        distance (a number, one per owner, or None: unbounded); ``same`` restricts each
        step to pixels with the same value as the pixel it comes from (growth inside one
        country part); ``start`` gives
        the sources' initial distances; ``weight`` multiplies the cost of entering a pixel
        (narrow straits are slow to cross); ``within`` = (x, y, radius), each indexed by
        owner, keeps each owner inside a circle around its point, so an open-sea limit is a
        circle, not an octagon.  Ties go to the lower label, deterministically.  Writes
        ``labels`` in place and returns the distance of every pixel (-1: not reached).
        """
        size = labels.size
        distance = np.full(size, -1, dtype=np.int32)
        done = np.zeros(size, dtype=bool)
        buckets: dict[int, list[tuple[IntArray, IntArray]]] = {}

        def push(level: npt.NDArray[np.int64], pixels: IntArray, who: IntArray) -> None:
            if level.size and level.min() == level.max():
                buckets.setdefault(int(level[0]), []).append((pixels, who))
                return
            for value in np.unique(level).tolist():
                chosen = level == value
                buckets.setdefault(int(value), []).append((pixels[chosen], who[chosen]))

        initial = np.zeros(len(sources), dtype=np.int64) if start is None else start
        push(initial.astype(np.int64), sources.astype(np.int64), owners.astype(np.int32))
        if speed is None:
            ones = np.ones(int(owners.max(initial=0)) + 1, dtype=np.int64)
            speed = (2 * ones, 3 * ones)
        steps = ((speed[0], self.ortho), (speed[1], self.diag))
        while buckets:
            level = min(buckets)
            batch = buckets.pop(level)
            if isinstance(limit, int) and level > limit:
                continue
            pixels = np.concatenate([pixels for pixels, _ in batch])
            who = np.concatenate([who for _, who in batch])
            fresh = ~done[pixels]
            pixels, who = pixels[fresh], who[fresh]
            if not pixels.size:
                continue
            order = np.lexsort((who, pixels))
            pixels, who = pixels[order], who[order]
            first = np.ones(pixels.size, dtype=bool)
            first[1:] = pixels[1:] != pixels[:-1]
            pixels, who = pixels[first], who[first]
            done[pixels] = True
            labels[pixels] = who
            distance[pixels] = level
            for cost, offsets in steps:
                nbrs = (pixels[:, None] + offsets[None, :]).ravel()
                nbr_who = np.repeat(who, offsets.size)
                ok = allowed[nbrs] & ~done[nbrs]
                if same is not None:
                    ok &= same[nbrs] == np.repeat(same[pixels], offsets.size)
                nbrs, nbr_who = nbrs[ok], nbr_who[ok]
                if within is not None and nbrs.size:
                    cx, cy, radius = within
                    x, y = self.coords(nbrs)
                    r = radius[nbr_who]
                    keep = (x - cx[nbr_who]) ** 2 + (y - cy[nbr_who]) ** 2 <= r * r
                    nbrs, nbr_who = nbrs[keep], nbr_who[keep]
                if not nbrs.size:
                    continue
                step = cost[nbr_who].astype(np.int64)
                if weight is not None:
                    step *= weight[nbrs]
                reached = level + step
                if limit is not None:
                    keep = reached <= (limit if isinstance(limit, int) else limit[nbr_who])
                    reached, nbrs, nbr_who = reached[keep], nbrs[keep], nbr_who[keep]
                push(reached, nbrs, nbr_who)
        return distance


def _nearest(grid: _Grid, mask: BoolArray, x: int, y: int, limit: float) -> int | None:
    """Flat index of the pixel of ``mask`` nearest to (x, y), if within ``limit`` pixels."""
    candidates = np.flatnonzero(mask & grid.inside)
    if not candidates.size:
        return None
    cx, cy = grid.coords(candidates)
    d2 = (cx - x) ** 2 + (cy - y) ** 2
    best = int(np.argmin(d2))
    if d2[best] > limit * limit:
        return None
    return int(candidates[best])


def _unzip(pairs: Sequence[tuple[int, int]]) -> tuple[IntArray, IntArray]:
    """(label, flat) pairs as arrays of flat indices and of labels."""
    flats = np.asarray([flat for _, flat in pairs], dtype=np.int64)
    owners = np.asarray([label for label, _ in pairs], dtype=np.int32)
    return flats, owners


def _differs(grid: npt.NDArray[Any], thick: bool = False) -> BoolArray:
    """Pixels whose value differs from their right or lower neighbour (and, if ``thick``,
    from their left or upper neighbour too, for two-pixel lines)."""
    out = np.zeros(grid.shape, dtype=bool)
    right = grid[:-1, :] != grid[1:, :]
    down = grid[:, :-1] != grid[:, 1:]
    out[:-1, :] |= right
    out[:, :-1] |= down
    if thick:
        out[1:, :] |= right
        out[:, 1:] |= down
    return out


def _inner_band(index: IntArray, width: int) -> BoolArray:
    """Pixels of an area within ``width`` pixels of its outline (on its own side), where
    the control tint is drawn stronger so a tinted region reads as territory, not sea."""
    band = _differs(index, thick=True) & (index > 0)
    for _ in range(width - 1):
        band |= _touches(band) & (index > 0) & _touches_same(index, band)
    return band


def _touches_same(index: IntArray, mask: BoolArray) -> BoolArray:
    """Pixels with a 4-neighbour in ``mask`` that has the same area label."""
    out = np.zeros(mask.shape, dtype=bool)
    out[1:, :] |= mask[:-1, :] & (index[:-1, :] == index[1:, :])
    out[:-1, :] |= mask[1:, :] & (index[1:, :] == index[:-1, :])
    out[:, 1:] |= mask[:, :-1] & (index[:, :-1] == index[:, 1:])
    out[:, :-1] |= mask[:, 1:] & (index[:, 1:] == index[:, :-1])
    return out


def _shifted(mask: BoolArray, dx: int, dy: int) -> BoolArray:
    """``out[x, y] = mask[x + dx, y + dy]``, False where that falls outside."""
    out = np.zeros_like(mask)
    width, height = mask.shape
    if abs(dx) >= width or abs(dy) >= height:
        return out
    src_x = slice(max(dx, 0), width + min(dx, 0))
    dst_x = slice(max(-dx, 0), width + min(-dx, 0))
    src_y = slice(max(dy, 0), height + min(dy, 0))
    dst_y = slice(max(-dy, 0), height + min(-dy, 0))
    out[dst_x, dst_y] = mask[src_x, src_y]
    return out


def _touches(mask: BoolArray) -> BoolArray:
    """Pixels with a 4-neighbour in ``mask``."""
    out = np.zeros_like(mask)
    out[1:, :] |= mask[:-1, :]
    out[:-1, :] |= mask[1:, :]
    out[:, 1:] |= mask[:, :-1]
    out[:, :-1] |= mask[:, 1:]
    return out


def _rgb(color: Sequence[int]) -> Color:
    """A colour as a plain (r, g, b) tuple of ints (alpha, if any, is dropped)."""
    return (int(color[0]), int(color[1]), int(color[2]))


def _remember(cache: dict[Any, pygame.Surface], key: Any, surface: pygame.Surface) -> None:
    """Store in a small cache, dropping the oldest entry when it is full."""
    if len(cache) >= _CACHE_LIMIT:
        del cache[next(iter(cache))]
    cache[key] = surface


def _dashed_line(
    surface: pygame.Surface,
    color: Color | tuple[int, int, int, int],
    start: tuple[float, float],
    end: tuple[float, float],
    width: int,
    dash: int,
) -> None:
    """A dashed straight line (pygame has none)."""
    length = math.dist(start, end)
    if length < 1:
        return
    steps = int(length // dash)
    dx, dy = (end[0] - start[0]) / length, (end[1] - start[1]) / length
    for step in range(0, steps + 1, 2):
        a = step * dash
        b = min(length, a + dash)
        pygame.draw.line(
            surface,
            color,
            (start[0] + dx * a, start[1] + dy * a),
            (start[0] + dx * b, start[1] + dy * b),
            width,
        )


def _dashed_rect(surface: pygame.Surface, color: Color, rect: pygame.Rect, width: int) -> None:
    """A rectangle with a dashed border: the mark of a place that is not on the map."""
    dash = max(6, 3 * width)
    right, bottom = rect.right - 1, rect.bottom - 1
    corners = [(rect.left, rect.top), (right, rect.top), (right, bottom), (rect.left, bottom)]
    for index, start in enumerate(corners):
        end = corners[(index + 1) % 4]
        _dashed_line(surface, color, start, end, width, dash)
