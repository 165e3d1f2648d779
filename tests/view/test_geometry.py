"""Theater frames and the map projection: every area is shown, and clicks map back exactly.

The projection is what turns a click into a longitude and latitude and an area's position
into a place for its counters, so it must be invertible and must never crop the frame it
was asked to show, whatever the shape of the pane.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.content import load_game
from engine.core import GameSpec
from engine.core.spec import TheaterSpec
from engine.view.geometry import MIN_MARGIN, Frame, Projection, theater_frames

DEFAULT = Path(__file__).resolve().parents[2] / "scenarios" / "default.yaml"


@pytest.fixture(scope="module")
def default_spec() -> GameSpec:
    """The default two-theater scenario."""
    return load_game(DEFAULT).spec


def test_frames_contain_every_on_map_area_with_a_margin(
    tutorial_spec: GameSpec, default_spec: GameSpec
) -> None:
    for spec in (tutorial_spec, default_spec):
        frames = theater_frames(spec)
        assert set(frames) == {theater.id for theater in spec.theaters}
        for area in spec.areas:
            if area.offmap or area.lat is None or area.lon is None:
                continue
            frame = frames[area.theater]
            assert frame.west + MIN_MARGIN <= area.lon <= frame.east - MIN_MARGIN, area.id
            assert frame.south + MIN_MARGIN <= area.lat <= frame.north - MIN_MARGIN, area.id


def test_the_default_theaters_are_where_they_should_be(default_spec: GameSpec) -> None:
    frames = theater_frames(default_spec)
    europe, asia = frames["europe"], frames["asia"]
    assert europe.contains(21.0, 54.7)  # Kaliningrad
    assert asia.contains(144.8, 13.5)  # Guam
    assert not europe.contains(144.8, 13.5)
    assert not asia.contains(21.0, 54.7)


def test_a_theater_without_on_map_areas_is_left_out(tutorial_spec: GameSpec) -> None:
    spec = dataclasses.replace(
        tutorial_spec, theaters=(*tutorial_spec.theaters, TheaterSpec("arctic", "Arctic"))
    )
    assert "arctic" not in theater_frames(spec)


frames = st.builds(
    lambda west, width, south, height: Frame(west, west + width, south, south + height),
    st.floats(-180, 170),
    st.floats(0.5, 120),
    st.floats(-80, 60),
    st.floats(0.5, 40),
).filter(lambda frame: frame.north <= 89)
sizes = st.tuples(st.integers(16, 2400), st.integers(16, 1600))


@given(frame=frames, size=sizes, u=st.floats(0, 1), v=st.floats(0, 1))
def test_to_geo_inverts_to_screen(frame: Frame, size: tuple[int, int], u: float, v: float) -> None:
    projection = Projection(frame, *size)
    lon = frame.west + u * (frame.east - frame.west)
    lat = frame.south + v * (frame.north - frame.south)
    x, y = projection.to_screen(lon, lat)
    back = projection.to_geo(x, y)
    assert back[0] == pytest.approx(lon, abs=1e-9)
    assert back[1] == pytest.approx(lat, abs=1e-9)
    assert projection.to_screen(*projection.to_geo(x, y)) == pytest.approx((x, y), abs=1e-6)


@given(frame=frames, size=sizes)
def test_the_frame_is_expanded_to_the_pane_never_cropped(
    frame: Frame, size: tuple[int, int]
) -> None:
    width, height = size
    projection = Projection(frame, width, height)
    for lon in (frame.west, frame.east):
        for lat in (frame.south, frame.north):
            x, y = projection.to_screen(lon, lat)
            assert -1e-6 <= x <= width + 1e-6
            assert -1e-6 <= y <= height + 1e-6
    # The pane is filled: its corners are the view's corners, and the frame is centred.
    view = projection.view
    assert projection.to_screen(view.west, view.north) == pytest.approx((0, 0), abs=1e-6)
    assert projection.to_screen(view.east, view.south) == pytest.approx(
        (width, height), rel=1e-9, abs=1e-6
    )
    assert (view.west + view.east) / 2 == pytest.approx((frame.west + frame.east) / 2)
    assert (view.south + view.north) / 2 == pytest.approx((frame.south + frame.north) / 2)
    # One of the two spans is kept exactly; the other only grows.
    kept_x = math.isclose(view.east - view.west, frame.east - frame.west, rel_tol=1e-9)
    kept_y = math.isclose(view.north - view.south, frame.north - frame.south, rel_tol=1e-9)
    assert kept_x or kept_y
    assert view.east - view.west >= (frame.east - frame.west) * (1 - 1e-9)
    assert view.north - view.south >= (frame.north - frame.south) * (1 - 1e-9)


def test_longitudes_are_shrunk_by_the_cosine_of_the_middle_latitude() -> None:
    projection = Projection(Frame(0, 10, 50, 70), 1000, 1000)
    x0, y0 = projection.to_screen(0, 60)
    x1, _ = projection.to_screen(1, 60)
    _, y1 = projection.to_screen(0, 59)
    assert (x1 - x0) / (y1 - y0) == pytest.approx(math.cos(math.radians(60)))


def test_a_degenerate_pane_or_frame_is_refused() -> None:
    with pytest.raises(ValueError, match="positive size"):
        Projection(Frame(0, 10, 0, 10), 0, 100)
    with pytest.raises(ValueError, match="empty frame"):
        Projection(Frame(10, 10, 0, 10), 100, 100)
