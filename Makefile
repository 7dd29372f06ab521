# Two commands: `make run` and `make test`. Both need only Python 3.11 and make.
# `make bench` (not part of `make test`) measures the key pages and sweeps; see the README.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt build-constraints.txt | cksum | cut -d' ' -f1)

.PHONY: run test bench guards lint install clean

install: $(STAMP)

$(STAMP): requirements.txt build-constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip==26.3
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --build-constraint build-constraints.txt -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

PORT ?= 8000

run: $(STAMP)
	$(BIN)/python -m peers.run --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest

SCALE ?= 0.1

bench: $(STAMP)
	$(BIN)/python -m peers.bench --scale $(SCALE)

guards: $(STAMP)
	$(BIN)/python -m peers.testing.guards

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) .pytest_cache staticfiles
