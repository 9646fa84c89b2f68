# Nastavnik: `make run` (embedded defaults, demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements/*.txt | sha1sum | cut -c1-12)
export NASTAVNIK_INSTANCE_DIR ?= $(CURDIR)/instance
export FLASK_APP := wsgi.py
# Test processes (pytest-xdist): one per core, at most four; PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= auto

.PHONY: install translations run lint test migrate demo bench clean

$(STAMP): requirements/base.txt requirements/dev.txt requirements/constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/dev.txt -c requirements/constraints.txt
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

translations: install
	$(BIN)/pybabel compile --statistics -d translations

migrate: translations
	mkdir -p $(NASTAVNIK_INSTANCE_DIR)
	$(BIN)/flask db upgrade

demo: migrate
	$(BIN)/flask demo load

run: demo
	bash scripts/run_embedded.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: translations lint
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --maxprocesses=4 $(PYTEST_ARGS)

bench: translations
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) instance .pytest_cache
