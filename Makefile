# The two set-up commands (see README.md): `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PIP := $(BIN)/pip --disable-pip-version-check --quiet

.PHONY: run test bench lock format

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.lock
	$(PIP) install --no-deps -e .
	touch $@

run: $(VENV)/.installed  ## serve the demo practice at http://127.0.0.1:$(PORT)
	$(BIN)/fascia migrate --noinput
	$(BIN)/fascia demo
	$(BIN)/fascia worker --interval 30 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/fascia runserver 127.0.0.1:$(PORT)

test: $(VENV)/.installed  ## every check and test, on SQLite and PostgreSQL
	scripts/test

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock:  ## re-resolve requirements.lock from pyproject.toml
	$(PYTHON) -m venv /tmp/fascia-lock && /tmp/fascia-lock/bin/pip install --quiet pip-tools
	/tmp/fascia-lock/bin/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url \
		--no-emit-find-links -o requirements.lock pyproject.toml

bench: $(VENV)/.installed  ## benchmarks on SQLite and PostgreSQL (figures in docs/performance.md)
	scripts/ensure-wrk
	$(BIN)/python bench/staff_pages.py
	scripts/with-postgres $(BIN)/python bench/staff_pages.py
	$(BIN)/python bench/scheduling.py
	scripts/with-postgres $(BIN)/python bench/scheduling.py
	$(BIN)/python bench/mobile.py
	scripts/with-postgres $(BIN)/python bench/mobile.py
	$(BIN)/python bench/records.py
	scripts/with-postgres $(BIN)/python bench/records.py
	$(BIN)/python bench/statements.py
	scripts/with-postgres $(BIN)/python bench/statements.py
	$(BIN)/python bench/directory.py
	scripts/with-postgres $(BIN)/python bench/directory.py
	$(BIN)/python bench/audit.py
	scripts/with-postgres $(BIN)/python bench/audit.py
