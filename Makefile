# modelboard — `make run` starts everything, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
# These targets run on a machine of one's own: without a SECRET_KEY in the
# environment, a random one is made once and kept in var/ (see docs/operations.md, Production).
export MODELBOARD_LOCAL ?= 1

.PHONY: run test test-fast test-durations lint bench bench-pg install install-dev browser node wrk static screenshots lock clean plotly

# What running needs (make run); the dev extras (test tools, browser driver,
# SDKs, type checkers) come with make test and make lint. The venv's own pip
# (23.2 with Python 3.11) installs these; nothing is compiled ahead (a module is
# compiled when first imported: of plotly's thousands, a page uses a few).
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-compile -c requirements.lock -e .
	touch $(STAMP)

$(DEV_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --no-compile -c requirements.lock -e '.[dev]'
	touch $(DEV_STAMP)

install: $(STAMP)

install-dev: $(DEV_STAMP)

static: $(STAMP)
	$(BIN)/python manage.py collectstatic --noinput -v0

# run_stack migrates and creates the schedules itself (one start of Django, not
# three). RUN_ARGS: its options (--demo, --port, --demo-port).
run: static
	$(BIN)/python manage.py run_stack $(RUN_ARGS)

# Browser tests drive Debian's Chromium; install it when missing and we may.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: install your distribution's chromium package"; fi; }

# The TypeScript SDK's tests run on Debian's Node.js and npm, installed when missing
# and we may (the SDK itself comes from tests/clients/typescript/'s lock file).
node:
	@command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	  else echo "node is missing: install your distribution's nodejs and npm packages"; fi; }

# The page benchmark's load generator: Debian's wrk, installed when missing and we may.
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "wrk is missing: install your distribution's wrk package"; fi; }

# Tests run in parallel, each module on one worker; the database is migrated once
# and cloned for each worker. The whole suite runs two workers more than there are
# cores (at most 8, the Redis databases' limit): many of its tests wait on a worker
# process, a browser, a server or a fault's timeout, and the spare workers use that
# time. The fast tier, all CPU, runs one per core and hands out single tests (its
# modules set up in milliseconds), which keeps both cores busy to the end.
# TEST_WORKERS=1 for one process.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); echo $$(( n + 2 > 8 ? 8 : n + 2 )))
FAST_WORKERS ?= auto
# Byte-compiled modules are kept between runs (a test run starts many Python
# processes: workers, servers, commands), whatever the environment says.
test test-fast: export PYTHONDONTWRITEBYTECODE :=
# A test over this many seconds must be marked slow (make test-fast fails).
SLOW_LIMIT ?= 1
# Modules go out longest first, as tests/durations.json measured them (xdist's own
# order, most tests first, would leave a one-test minute to the end).
PYTEST := $(BIN)/python -m pytest --dist loadscope --no-loadscope-reorder

test: static $(DEV_STAMP) browser node
	$(PYTEST) -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Every test that needs no socket, no process and no second, from every room: it
# fails if one opens a socket, starts a process or runs over 1 s unmarked `slow`.
test-fast: $(DEV_STAMP)
	$(PYTEST) -n $(FAST_WORKERS) --dist load --fast-tier --slow-limit $(SLOW_LIMIT) \
	  -m "not slow and not http and not integration and not browser and not postgresql" $(PYTEST_ARGS)

# After adding or changing heavy tests: measure every module again (a full run)
# and write tests/durations.json, the order `make test` hands them out in.
test-durations: static $(DEV_STAMP) browser node
	$(PYTEST) -n $(TEST_WORKERS) --junitxml=var/durations.xml -q $(PYTEST_ARGS)
	$(BIN)/python tests/support/durations.py var/durations.xml

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# The README's screenshots, retaken from the demo catalogue (tests never write them).
screenshots: static $(DEV_STAMP) browser
	$(BIN)/python -m pytest tests/browser/screenshots.py -p no:cacheprovider

# After changing dependencies in pyproject.toml: re-resolve and pin them all.
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip
	.venv-lock/bin/python -m pip install --quiet -e '.[dev]'
	.venv-lock/bin/python -m pip freeze --exclude-editable > requirements.lock
	rm -rf .venv-lock

bench: $(DEV_STAMP)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/stats.py

# On PostgreSQL (a database it may drop: BENCH_DATABASE_URL), Redis (CACHE_URL) and
# wrk: pages beside a trivial view, then 321 / 3,000 / 30,000 models (long).
bench-pg: $(DEV_STAMP) wrk
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/scale.py

# The partial plotly.js bundle in static/vendor/ (shipped): fetch it again from the
# npm registry and check it against the sha256 recorded in plotly-basic.json.
plotly: $(STAMP)
	rm -rf var/plotly && mkdir -p var/plotly
	if command -v npm >/dev/null 2>&1; then \
	  cd var/plotly && npm pack --silent "$$(../../$(BIN)/python -c 'import json; r = json.load(open("../../static/vendor/plotly-basic.json")); print(r["package"] + "@" + r["version"])')" >/dev/null && \
	  cd ../.. && $(BIN)/python manage.py vendor_plotly --tarball var/plotly/*.tgz; \
	else $(BIN)/python manage.py vendor_plotly; fi
	$(BIN)/python manage.py vendor_plotly --check

clean:
	rm -rf $(VENV) var
