# Liaison: `make run` serves the app, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run worker test install lint check messages clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_seed
	$(PY) manage.py ensure_local_login
	PY=$(PY) HOST=$(HOST) PORT=$(PORT) scripts/run-dev.sh

# The background-job worker alone (make run starts one beside the server).
worker: install
	$(PY) manage.py db_worker --queue-name default

# The whole suite: on SQLite, or on the database DATABASE_URL names.
test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# Regenerate and compile the Traditional Chinese translations (needs gettext).
messages: install
	$(PY) manage.py makemessages -l zh_Hant --no-wrap --ignore=".venv/*" --ignore="tests/*" --ignore="fixtures/*"
	$(PY) manage.py compilemessages -l zh_Hant --ignore=".venv/*"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
