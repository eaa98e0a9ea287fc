# Liaison: `make run` serves the app, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run worker test install install-dev static-deps test-tools lint check messages clean
PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check

# The virtualenv, its own pip and setuptools first upgraded to the pinned versions.
$(VENV)/.created: requirements-venv.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r requirements-venv.txt
	touch $@

# What the app needs to run (requirements.txt) ...
$(VENV)/.installed: $(VENV)/.created requirements.txt
	$(PIP_INSTALL) -r requirements.txt
	touch $@

# ... and what development needs besides: tests, lint, demo data (requirements-dev.txt).
$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP_INSTALL) -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# From the npm registry at the versions package-lock.json pins (needs npm): Chart.js, which
# Liaison serves itself (config/settings.py, STATICFILES_DIRS; never from a CDN), and axe-core
# for the browser tests' accessibility checks.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

static-deps: node_modules/.installed
test-tools: static-deps

# umask 077: the SQLite database, the login and the secret key are readable by you only
# (a database made by an earlier version is narrowed too).
run: install static-deps
	umask 077 && chmod go-rwx db.sqlite3 db.sqlite3-wal db.sqlite3-shm 2>/dev/null; \
	umask 077 && $(PY) manage.py migrate --noinput && $(PY) manage.py load_seed \
	  && $(PY) manage.py ensure_local_login && PY=$(PY) HOST=$(HOST) PORT=$(PORT) scripts/run-dev.sh

# The background-job worker alone (make run starts one beside the server).
worker: install
	$(PY) manage.py db_worker --queue-name default

# The whole suite: on SQLite, or on the database DATABASE_URL names.
test: install-dev static-deps
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# Regenerate and compile the Traditional Chinese translations (needs gettext).
messages: install
	$(PY) manage.py makemessages -l zh_Hant --no-wrap --ignore=".venv/*" --ignore="tests/*" --ignore="fixtures/*" --ignore="node_modules/*"
	$(PY) manage.py compilemessages -l zh_Hant --ignore=".venv/*"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles node_modules
