"""The same experiment gives the same files byte for byte whether its games are played in
this process, in two local worker processes or on a Dask cluster of two processes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .support import DEFAULT, TUTORIAL, analyze, variant_file


@pytest.fixture(scope="module")
def dask_address() -> Iterator[str]:
    """A Dask cluster of two worker processes on this machine, as an analyst would start
    one (``dask scheduler`` and ``dask worker``), for the command to be pointed at."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as cluster:
        yield str(cluster.scheduler_address)


def _files(out: Path) -> dict[str, bytes]:
    """Every file written, with the output folder's own path (which the sweep's overlay
    files carry) taken out."""
    found = {}
    for path in sorted(out.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            found[str(path.relative_to(out))] = data.replace(str(out).encode(), b"OUT")
    return found


def test_every_backend_writes_the_same_files(tmp_path: Path, dask_address: str) -> None:
    hawkish = variant_file(tmp_path, "hawkish", "tracks:\n  credibility: {us: 70}\n")
    experiments = {
        "tutorial": [
            str(TUTORIAL), "--variant", str(hawkish), "--sweep", "tracks.tension.europe=30,45",
            "--games", "30", "--seed", "3",
        ],
        "default": [str(DEFAULT), "--games", "3", "--no-plots"],
    }  # fmt: skip
    backends = {
        "one process": [],
        "two workers": ["--workers", "2"],
        "dask": ["--dask", dask_address],
    }
    for name, experiment in experiments.items():
        written: dict[str, dict[str, bytes]] = {}
        for backend, how in backends.items():
            out = tmp_path / f"{name}-{backend.replace(' ', '-')}"
            code, output = analyze(*experiment, "--out", str(out), *how)
            assert code == 0, output
            written[backend] = _files(out)
        first = written["one process"]
        assert "games.csv" in first and "summary.json" in first
        if name == "tutorial":
            assert any(n.endswith(".png") for n in first)
            assert len([n for n in first if n.startswith("variants/")]) == 2
        for backend, files in written.items():
            assert files.keys() == first.keys(), backend
            for file, data in files.items():
                assert data == first[file], f"{name}: {file} differs with {backend}"
