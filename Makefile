# Hamdeli developer commands. `make run` and `make test` are all a newcomer needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format lock lock-upgrade worker beat migrate seed messages clean system-packages-run system-packages-test

# System libraries (deploy/system-packages.txt): installed when run as root, otherwise the exact apt-get line.
system-packages-run:
	@sh deploy/system_packages.sh run $(PYTHON)

system-packages-test:
	@sh deploy/system_packages.sh test $(PYTHON)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Installs from the lock files (every package pinned with its hashes; pip refuses anything else) and
# reinstalls only when a lock changed. requirements-dev.txt holds the runtime set too.
$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt
	touch $(VENV)/.runtime-installed $@

# Rewrites the locks from the hand-edited requirements.in / requirements-dev.in for Python 3.11 on Linux x86_64,
# keeping every version already locked unless an .in file asks for another. `make lock-upgrade` moves every
# indirect dependency to its newest release; `make lock LOCK_ARGS="--upgrade-package NAME"` moves one.
LOCK := $(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 \
	--python-platform x86_64-manylinux_2_28 --custom-compile-command "make lock"

lock: $(VENV)/.dev-installed
	$(LOCK) $(LOCK_ARGS) requirements.in -o requirements.txt
	$(LOCK) $(LOCK_ARGS) requirements-dev.in -o requirements-dev.txt

lock-upgrade:
	$(MAKE) lock LOCK_ARGS=--upgrade

migrate: $(VENV)/.runtime-installed
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: system-packages-run seed
	$(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite on every core (pytest-xdist: each worker has its own test database), then the coverage of the
# application code (files below 100%, and the total). `make test TEST_ARGS=...` passes more pytest options.
# Coverage costs time (measured 2026-12-08: the SQLite run 4:41 without, about 8:40 with, 2 cores), so .ci/run
# measures it once, on the SQLite run (which has every test), and passes COVERAGE= to the PostgreSQL one.
COVERAGE ?= --cov --cov-report=term
test: system-packages-test $(VENV)/.dev-installed
	$(BIN)/pytest -n auto $(COVERAGE) $(TEST_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: $(VENV)/.runtime-installed
	$(BIN)/celery -A hamdeli worker --loglevel=INFO

beat: $(VENV)/.runtime-installed
	$(BIN)/celery -A hamdeli beat --loglevel=INFO

# Needs GNU gettext; the compiled .mo files are committed so running the app does not.
messages: $(VENV)/.dev-installed
	$(PY) manage.py makemessages -l fa -l en --ignore=.venv --ignore=staticfiles --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
