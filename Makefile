# Two commands on a fresh machine: `make run` (the guide's quick start on embedded defaults) and `make test`.
# Both install from the lock files in requirements/ (exact versions + hashes), never from loose ranges:
#   requirements/tools.lock  uv, pip, setuptools, wheel (bootstrapped with pip --require-hashes)
#   requirements/core.lock   what the quick start needs (the package's own dependencies)
#   requirements/test.lock   core + every extra (dev, llm, mlflow, vertex, ray, sweep, mcp)
# `make lock` re-resolves them deliberately; pyproject.toml keeps the honest lower bounds.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
UV     := $(VENV)/bin/uv
# torch==2.13.0 is a local CPU wheel on this kind of machine; anything looser pulls gigabytes of CUDA.
WHEELS ?= /opt/wheels
UV_SOURCES := $(if $(wildcard $(WHEELS)),--find-links $(WHEELS))
# Each lock installed leaves a stamp; the test set is a superset of the core set.
CORE_STAMP := $(VENV)/.core.lock.installed
TEST_STAMP := $(VENV)/.test.lock.installed
# Where `make` installs Mono (as root: CI), a C# type check that was skipped is a test failure.
REQUIRE_MCS := $(if $(filter 0,$(shell id -u)),1,0)

# pytest-xdist workers: one per core plus one, at most 4 (tests start servers and trainers of their own). The
# extra worker fills the time the others spend waiting on servers, clusters and subprocesses: with one per core
# the suite kept 2 cores 172 % busy. Tests that share an expensive session resource stay on one worker
# (tests/conftest.py, XDIST_GROUPS).
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); n=$$((n + 1)); [ $$n -gt 4 ] && n=4; echo $$n)
XDIST = -n $(TEST_WORKERS) --dist loadgroup

.PHONY: run test test-fast test-slow lint lock bench system system-test clean

$(UV): requirements/tools.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --require-hashes --no-deps -r requirements/tools.lock
	touch $(UV)

define sync_lock
	$(UV) pip sync -q --python $(PY) $(UV_SOURCES) $(1)
	$(UV) pip install -q --python $(PY) --no-deps --no-build-isolation -e .
endef

$(TEST_STAMP): requirements/test.lock pyproject.toml $(UV)
	$(call sync_lock,requirements/test.lock)
	rm -f $(CORE_STAMP)
	touch $(TEST_STAMP)

# The quick start needs only the core set; a venv already holding the (newer) test set has it too.
$(CORE_STAMP): requirements/core.lock pyproject.toml $(UV)
	@if [ -f $(TEST_STAMP) ] && [ $(TEST_STAMP) -nt requirements/test.lock ] \
	    && [ $(TEST_STAMP) -nt requirements/core.lock ]; then \
	  echo "core set already installed (test set)"; \
	else \
	  $(UV) pip sync -q --python $(PY) $(UV_SOURCES) requirements/core.lock && \
	  $(UV) pip install -q --python $(PY) --no-deps --no-build-isolation -e . && \
	  rm -f $(TEST_STAMP); \
	fi
	touch $(CORE_STAMP)

# System packages (best effort without root): Mono's C# compiler for the generated-code type check.
system:
	@command -v mcs >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mono-mcs >/dev/null) \
	      || echo "warning: could not install mono-mcs; C# type checks will be skipped"; \
	  else echo "warning: not root, mono-mcs not installed; C# type checks will be skipped"; fi; }

# The tests also render the job report in a real headless browser (Debian's chromium).
system-test: system
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "warning: could not install chromium; browser checks of the report will be skipped"; \
	  else echo "warning: not root, chromium not installed; browser checks of the report will be skipped"; fi; }

# The quick start needs no system package: without Mono the C# type check is skipped (and the result says
# so); `make test` (or `apt-get install mono-mcs`) adds it.
run: $(CORE_STAMP)
	$(PY) examples/quickstart.py

test: $(TEST_STAMP) system-test
	$(VENV)/bin/ruff check src tests bench examples
	$(VENV)/bin/lint-imports
	MLOPS_REQUIRE_MCS=$(REQUIRE_MCS) $(PY) -m pytest -q $(XDIST) --durations=25

test-fast: $(TEST_STAMP)
	$(PY) -m pytest -q $(XDIST) -m "not slow"

test-slow: $(TEST_STAMP) system-test
	MLOPS_REQUIRE_MCS=$(REQUIRE_MCS) $(PY) -m pytest -q $(XDIST) -m slow

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check src tests bench examples
	$(VENV)/bin/lint-imports

# Re-resolve every lock from pyproject.toml (and requirements/tools.in). The test set is resolved first;
# core and tools are resolved under it as constraints, so a package has one version in all three.
LOCK_FLAGS = --python-version 3.11 $(UV_SOURCES) --generate-hashes --quiet
lock: $(UV)
	$(UV) pip compile pyproject.toml requirements/tools.in --all-extras $(LOCK_FLAGS) -o requirements/test.lock
	$(UV) pip compile pyproject.toml requirements/tools.in -c requirements/test.lock $(LOCK_FLAGS) \
	  -o requirements/core.lock
	$(UV) pip compile requirements/tools.in -c requirements/test.lock $(LOCK_FLAGS) -o requirements/tools.lock
	# the real ML-Agents 1.1.0 venv of the cross-check tests has its own lock (its pins overridden)
	UV=$(UV) bash scripts/setup_mlagents_venv.sh --lock

bench: $(TEST_STAMP)
	for f in bench/bench_*.py; do $(PY) $$f || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache artifacts results
