# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app wsgi

.PHONY: run worker serve bench wrk test test-stripe install install-dev db seed chromium clean shots

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; set PYTHON=python3"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

db: install
	$(FLASK) db upgrade

seed: db
	$(FLASK) shop seed-demo

## make run: install, migrate, load the demo data when empty, serve on http://127.0.0.1:$(PORT),
## with the worker beside it (emails land in instance/outbox/ within seconds); Ctrl-C stops both
run: seed
	@WORKER_POLL_SECONDS=$${WORKER_POLL_SECONDS:-1} $(FLASK) shop worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port $(PORT) --debug

## make worker: migrate, then deliver emails and run the periodic jobs (the checkout sweeper) until stopped
worker: db
	$(FLASK) shop worker

## make serve: migrate, then serve with gunicorn and the repo's config (PORT or BIND, WEB_CONCURRENCY, see README)
serve: db
	$(BIN)/gunicorn -c shop/serving/gunicorn_conf.py wsgi:app

## make bench: the store under load against a static baseline, page weight and Lighthouse (about 10 minutes;
## needs PostgreSQL on 127.0.0.1:5432, user postgres; installs wrk and Chromium with apt-get, Lighthouse with npm)
bench: install chromium wrk tests/benchmarks/node_modules/.installed
	$(BIN)/python tests/benchmarks/bench.py

wrk:
	@if ! command -v wrk >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null; \
	  else echo "make bench needs wrk: sudo apt-get install -y wrk"; exit 1; fi; \
	fi

# Lighthouse, at the version tests/benchmarks/package.json pins, in a folder git ignores.
# (No lock file: npm 11 writes one for lighthouse 12 that its own `npm ci` then rejects.)
tests/benchmarks/node_modules/.installed: tests/benchmarks/package.json
	@command -v npm >/dev/null 2>&1 || { echo "make bench needs Node.js 18.16+ and npm for Lighthouse"; exit 1; }
	cd tests/benchmarks && npm install --no-package-lock --no-audit --no-fund --loglevel=error
	touch $@

## make test: install what the tests need (Debian's Chromium for the browser tests too) and run the suite,
## one worker per CPU (TEST_WORKERS=0 runs it in one process)
TEST_WORKERS ?= auto
test: install-dev chromium
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Browser tests drive Debian's Chromium; Playwright never downloads a browser.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser tests need Debian's Chromium: sudo apt-get install -y chromium"; exit 1; fi; \
	fi

shots:
	$(BIN)/python ../shared/tools/shoot.py http://127.0.0.1:$(PORT) / /products /products/sweet-almond-massage-oil /guides /guides/when-not-to-massage

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache

## make test-stripe: the checkout against Stripe's real test mode (needs STRIPE_SECRET_KEY=sk_test_... and network)
test-stripe: install-dev
	SHOP_LIVE_STRIPE=1 $(BIN)/python -m pytest -o addopts="-ra" tests/live $(PYTEST_ARGS)
