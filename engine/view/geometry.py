"""Where each theater's map looks, and how degrees become pane pixels.

Pure arithmetic (no pygame, no I/O), so the map layout can be tested without a display
and reused by anything that needs to place a point of the world in a pane.  The
projection is plain equirectangular with longitudes shrunk by the cosine of the middle
latitude: at theater scale it keeps shapes recognisable, and it is trivially invertible,
which is what clicking on the map needs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from engine.core.spec import GameSpec

MARGIN_SHARE = 0.15
"""Share of a theater's span added on each side, so areas at the edge are not cut."""
MIN_MARGIN = 4.0
"""Degrees added on each side at least, so a theater of a few areas still shows context."""


@dataclass(frozen=True, slots=True)
class Frame:
    """A longitude/latitude box in degrees: what part of the world a pane shows."""

    west: float
    east: float
    south: float
    north: float

    @property
    def middle_latitude(self) -> float:
        """The latitude whose scale the projection keeps true."""
        return (self.south + self.north) / 2.0

    def contains(self, lon: float, lat: float) -> bool:
        """Whether a point lies inside the box (edges included)."""
        return self.west <= lon <= self.east and self.south <= lat <= self.north


def theater_frames(spec: GameSpec) -> dict[str, Frame]:
    """The frame of every theater with on-map areas: their bounding box plus a margin.

    Off-map boxes and areas without a position do not count.  Theaters keep the order of
    ``spec.theaters``; one without on-map areas is left out (there is nothing to draw).
    """
    frames: dict[str, Frame] = {}
    for theater in spec.theaters:
        points = [
            (area.lon, area.lat)
            for area in spec.areas
            if area.theater == theater.id
            and not area.offmap
            and area.lat is not None
            and area.lon is not None
        ]
        if not points:
            continue
        lons = [lon for lon, _ in points]
        lats = [lat for _, lat in points]
        lon_margin = max(MARGIN_SHARE * (max(lons) - min(lons)), MIN_MARGIN)
        lat_margin = max(MARGIN_SHARE * (max(lats) - min(lats)), MIN_MARGIN)
        frames[theater.id] = Frame(
            west=min(lons) - lon_margin,
            east=max(lons) + lon_margin,
            south=max(min(lats) - lat_margin, -89.0),
            north=min(max(lats) + lat_margin, 89.0),
        )
    return frames


class Projection:
    """Equirectangular projection of a frame onto a ``width`` × ``height`` pane.

    The frame is expanded (never cropped) to the pane's aspect ratio and centred, so the
    map fills the pane and every point of the frame stays visible; ``view`` is the frame
    actually shown.  Longitudes are scaled by the cosine of the frame's middle latitude.
    """

    __slots__ = ("frame", "height", "lon_scale", "scale", "view", "width")

    def __init__(self, frame: Frame, width: int, height: int) -> None:
        if width <= 0 or height <= 0:
            raise ValueError(f"a projection needs a pane of positive size, not {width}×{height}")
        if frame.east <= frame.west or frame.north <= frame.south:
            raise ValueError(f"empty frame {frame}")
        self.frame = frame
        self.width = width
        self.height = height
        self.lon_scale = max(math.cos(math.radians(frame.middle_latitude)), 0.05)
        """Projected units per degree of longitude (a degree of latitude is one unit)."""
        span_x = (frame.east - frame.west) * self.lon_scale
        span_y = frame.north - frame.south
        if span_x / span_y < width / height:
            span_x = span_y * width / height
        else:
            span_y = span_x * height / width
        middle_lon = (frame.west + frame.east) / 2.0
        middle_lat = frame.middle_latitude
        half_lon = span_x / self.lon_scale / 2.0
        self.view = Frame(
            west=middle_lon - half_lon,
            east=middle_lon + half_lon,
            south=middle_lat - span_y / 2.0,
            north=middle_lat + span_y / 2.0,
        )
        self.scale = height / span_y
        """Pixels per degree of latitude."""

    def to_screen(self, lon: float, lat: float) -> tuple[float, float]:
        """Pane coordinates (x right, y down, floats) of a longitude/latitude."""
        x = (lon - self.view.west) * self.lon_scale * self.scale
        y = (self.view.north - lat) * self.scale
        return (x, y)

    def to_geo(self, x: float, y: float) -> tuple[float, float]:
        """Longitude/latitude of a pane point: the inverse of :meth:`to_screen`."""
        lon = self.view.west + x / (self.lon_scale * self.scale)
        lat = self.view.north - y / self.scale
        return (lon, lat)

    def km_to_pixels(self, km: float) -> float:
        """A ground distance in pixels at the frame's middle latitude (one degree of
        latitude is about 111.2 km)."""
        return km / 111.2 * self.scale

    def __repr__(self) -> str:
        return f"Projection({self.frame!r}, {self.width}, {self.height})"
