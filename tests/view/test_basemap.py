"""The base map: Natural Earth regions for the scenario's areas, clickable and tintable.

The app stacks counters at ``anchor`` and turns clicks into areas with ``area_at``, so the
two must agree for every area of every shipped theater, at any pane size.  The regions are
checked where geography is easy to get wrong (Kaliningrad cut off from Russia, islands too
small to click), and the overlays for what the app relies on: right size, cached, fast.
"""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pygame
import pytest

from engine.content import load_game
from engine.core import GameSpec
from engine.errors import RedlineError
from engine.view.basemap import Geography, MapAssetError, TheaterMap

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT / "scenarios" / "default.yaml"
SIZE = (800, 860)
BLUE = (47, 111, 181)
RED = (192, 57, 43)


@pytest.fixture(scope="module", autouse=True)
def display() -> Iterator[None]:
    """Only the display (for surfaces) and fonts: ``pygame.init()`` would open audio."""
    pygame.display.init()
    pygame.font.init()
    yield


@pytest.fixture(scope="module")
def default_spec() -> GameSpec:
    """The default two-theater scenario."""
    return load_game(DEFAULT).spec


@pytest.fixture(scope="module")
def europe(default_spec: GameSpec) -> TheaterMap:
    return TheaterMap(default_spec, "europe", SIZE)


@pytest.fixture(scope="module")
def asia(default_spec: GameSpec) -> TheaterMap:
    return TheaterMap(default_spec, "asia", SIZE)


@pytest.fixture(scope="module")
def tutorial(tutorial_spec: GameSpec) -> TheaterMap:
    return TheaterMap(tutorial_spec, "europe", SIZE)


def region(view: TheaterMap, area_id: str) -> np.ndarray:
    """Boolean mask of an area's pixels."""
    return np.asarray(view.area_index == view.area_ids.index(area_id) + 1)


def test_every_area_is_found_at_its_anchor(
    europe: TheaterMap, asia: TheaterMap, tutorial: TheaterMap
) -> None:
    for view in (europe, asia, tutorial):
        shown = [*view.area_ids, *view.offmap_boxes]
        assert len(shown) == len(set(shown))
        for area_id in shown:
            x, y = view.anchor(area_id)
            assert 0 <= x < SIZE[0] and 0 <= y < SIZE[1], area_id
            assert view.area_at(x, y) == area_id, area_id


def test_each_theater_shows_its_own_areas(default_spec: GameSpec, europe: TheaterMap) -> None:
    on_map = {a.id for a in default_spec.areas if a.theater == "europe" and not a.offmap}
    assert set(europe.area_ids) == on_map
    assert "japan" not in europe.area_ids
    with pytest.raises(KeyError, match="japan"):
        europe.anchor("japan")


def test_every_on_map_area_has_a_region_of_its_own(
    europe: TheaterMap, asia: TheaterMap, tutorial: TheaterMap
) -> None:
    for view in (europe, asia, tutorial):
        counts = np.bincount(view.area_index.ravel(), minlength=len(view.area_ids) + 1)
        for number, area_id in enumerate(view.area_ids, start=1):
            assert counts[number] >= 50, (view.theater, area_id, counts[number])


def test_kaliningrad_is_cut_off_from_western_russia(
    europe: TheaterMap, tutorial: TheaterMap
) -> None:
    for view in (europe, tutorial):
        kaliningrad = region(view, "kaliningrad")
        russia = region(view, "western_russia")
        grown = kaliningrad.copy()
        grown[1:, :] |= kaliningrad[:-1, :]
        grown[:-1, :] |= kaliningrad[1:, :]
        grown[:, 1:] |= kaliningrad[:, :-1]
        grown[:, :-1] |= kaliningrad[:, 1:]
        assert not (grown & russia).any()
        # Kaliningrad is the exclave, a few hundred pixels at this size, not a slice of Russia.
        assert 50 < kaliningrad.sum() < 2000


def test_split_countries_go_to_the_area_whose_point_they_hold(europe: TheaterMap) -> None:
    def at(lon: float, lat: float) -> str | None:
        x, y = europe.projection.to_screen(lon, lat)
        return europe.area_at(int(x), int(y))

    assert at(34.1, 45.0) == "crimea"  # Simferopol, Russian in Natural Earth 4.0.0
    assert at(30.5, 50.45) == "ukraine"  # Kyiv
    assert at(37.8, 48.0) == "eastern_ukraine"  # Donetsk
    assert at(37.6, 55.75) == "western_russia"  # Moscow
    assert at(20.5, 54.7) == "kaliningrad"
    assert at(19.0, 58.0) == "baltic_sea"
    assert at(10.0, 56.0) is None  # Denmark is in no area


def test_islands_and_split_asia_land_where_expected(asia: TheaterMap) -> None:
    def at(lon: float, lat: float) -> str | None:
        x, y = asia.projection.to_screen(lon, lat)
        return asia.area_at(int(x), int(y))

    assert at(127.8, 26.3) == "ryukyus"  # Okinawa
    assert at(130.5, 32.0) == "japan"  # Kyushu, an island without an area point
    assert at(109.8, 19.2) == "china_east_south"  # Hainan
    assert at(116.4, 39.9) == "china_north"  # Beijing
    assert at(121.0, 23.7) == "taiwan"
    assert at(144.8, 13.45) == "guam"


def test_small_islands_are_big_enough_to_click(asia: TheaterMap) -> None:
    for area_id in ("guam", "ryukyus"):
        assert region(asia, area_id).sum() >= 200, area_id


def test_off_map_boxes_sit_in_a_strip_below_the_map(
    default_spec: GameSpec, europe: TheaterMap, asia: TheaterMap
) -> None:
    assert set(asia.offmap_boxes) == {"conus", "hawaii", "middle_east", "russian_far_east"}
    assert "hawaii" not in europe.offmap_boxes  # linked only to Asia and to other boxes
    for view in (europe, asia):
        boxes = list(view.offmap_boxes.values())
        assert view.strip_rect.height == pytest.approx(0.15 * SIZE[1], abs=2)
        for box in boxes:
            assert view.strip_rect.contains(box)
            assert not view.map_rect.colliderect(box)
        for number, box in enumerate(boxes):
            assert box.collidelist(boxes[number + 1 :]) == -1
        edges = {
            (edge.a, edge.b) if edge.a in view.offmap_boxes else (edge.b, edge.a)
            for edge in default_spec.edges
            if (edge.a in view.offmap_boxes and edge.b in view.area_ids)
            or (edge.b in view.offmap_boxes and edge.a in view.area_ids)
        }
        assert set(view.links) == edges
        assert len(view.links) == len(edges)


def test_the_background_separates_land_and_sea(europe: TheaterMap) -> None:
    assert europe.background.get_size() == SIZE
    sea = europe.background.get_at(europe.anchor("baltic_sea"))
    land = europe.background.get_at(europe.anchor("poland"))
    assert sum(land[:3]) > sum(sea[:3]) + 60
    x, y = europe.projection.to_screen(-6.0, 45.5)  # Bay of Biscay: water in no area
    assert europe.area_at(int(x), int(y)) is None
    open_water = europe.background.get_at((int(x), int(y)))
    assert open_water != sea and open_water != land
    assert sum(open_water[:3]) < sum(sea[:3])  # areas in play stand out from the rest


def test_the_control_overlay_tints_the_given_areas_and_is_cached(europe: TheaterMap) -> None:
    colors = {"poland": BLUE, "western_russia": RED, "conus": BLUE}
    overlay = europe.control_overlay(colors)
    assert overlay.get_size() == SIZE
    assert overlay.get_flags() & pygame.SRCALPHA
    assert europe.control_overlay(dict(reversed(list(colors.items())))) is overlay
    poland = overlay.get_at(europe.anchor("poland"))
    assert tuple(poland[:3]) == BLUE and 0 < poland.a < 255
    assert tuple(overlay.get_at(europe.anchor("western_russia"))[:3]) == RED
    assert overlay.get_at(europe.anchor("germany")).a == 0
    assert tuple(overlay.get_at(europe.anchor("conus"))[:3]) == BLUE
    other = europe.control_overlay({**colors, "poland": RED})
    assert other is not overlay
    assert tuple(other.get_at(europe.anchor("poland"))[:3]) == RED


def test_a_highlight_fills_lightly_outlines_strongly_and_is_cached(europe: TheaterMap) -> None:
    surface = europe.highlight(["poland", "germany", "conus"], (255, 196, 0))
    assert surface.get_size() == SIZE
    assert europe.highlight(("conus", "germany", "poland"), (255, 196, 0)) is surface
    inside = surface.get_at(europe.anchor("poland"))
    assert 0 < inside.a < 128
    alpha = pygame.surfarray.array_alpha(surface)[:, : europe.map_rect.height]
    poland = region(europe, "poland")
    assert (alpha[poland] == 255).any()
    assert (alpha[region(europe, "belarus")] == 0).all()
    assert europe.highlight(["poland"], (255, 0, 0)) is not surface


def test_nothing_is_found_outside_the_areas(europe: TheaterMap) -> None:
    assert europe.area_at(-1, -1) is None
    assert europe.area_at(SIZE[0], SIZE[1]) is None
    assert europe.area_at(2, europe.strip_rect.bottom - 2) is None  # strip, left of the boxes


@pytest.mark.parametrize("size", [(320, 240), (200, 600), (1280, 720)])
def test_maps_build_at_any_size(
    default_spec: GameSpec, tutorial_spec: GameSpec, size: tuple[int, int]
) -> None:
    for spec, theater in (
        (default_spec, "europe"),
        (default_spec, "asia"),
        (tutorial_spec, "europe"),
    ):
        view = TheaterMap(spec, theater, size)
        assert view.background.get_size() == size
        assert view.control_overlay({}).get_size() == size
        for area_id in (*view.area_ids, *view.offmap_boxes):
            assert view.area_at(*view.anchor(area_id)) == area_id, (theater, size, area_id)


def test_the_same_map_is_drawn_every_time(tutorial_spec: GameSpec, tutorial: TheaterMap) -> None:
    again = TheaterMap(tutorial_spec, "europe", SIZE)
    assert np.array_equal(again.area_index, tutorial.area_index)
    assert pygame.image.tobytes(again.background, "RGB") == pygame.image.tobytes(
        tutorial.background, "RGB"
    )
    assert again.offmap_boxes == tutorial.offmap_boxes and again.links == tutorial.links


def test_every_country_the_scenarios_name_is_in_the_assets() -> None:
    geography = Geography.load()
    for scenario in sorted((ROOT / "scenarios").glob("*.yaml")):
        spec = load_game(scenario).spec
        for area in spec.areas:
            for code in area.countries:
                assert geography.has_country(code), f"{scenario.name}: {area.id} lists {code}"
    assert geography.resolve("SSD") == "SDS"  # ISO codes are accepted where they differ


def test_the_geography_is_read_once() -> None:
    assert Geography.load() is Geography.load()


def test_a_missing_asset_says_how_to_make_it(tmp_path: Path) -> None:
    missing = tmp_path / "geography.json"
    with pytest.raises(MapAssetError) as caught:
        Geography.load(missing)
    message = str(caught.value)
    assert str(missing) in message and "not found" in message
    assert "scripts/make_map_assets.py" in message
    assert isinstance(caught.value, RedlineError)


@pytest.mark.parametrize(
    "text", ["{not json", '{"countries": []}', '{"countries": {"XXX": {"name": "X"}}}']
)
def test_a_corrupt_asset_says_how_to_remake_it(tmp_path: Path, text: str) -> None:
    broken = tmp_path / "geography.json"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(MapAssetError, match=r"make_map_assets\.py") as caught:
        Geography.load(broken)
    assert str(broken) in str(caught.value)
