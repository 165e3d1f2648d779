# Redline: every target creates .venv when it is missing and installs the project into it.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SCENARIO ?= scenarios/default.yaml
SEED ?=
SIDE ?=

# The tests draw the map view off screen; `make play` opens a window where there is a display.
HEADLESS := SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy

.PHONY: play test lint bench install install-dev clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

play: install
	$(VENV)/bin/redline play $(SCENARIO) $(if $(SEED),--seed $(SEED),) $(if $(SIDE),--side $(SIDE),)

test: install-dev
	$(HEADLESS) $(PY) -m pytest -n 2

lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m mypy

bench: install-dev
	$(HEADLESS) $(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
