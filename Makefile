# Two commands on a fresh machine: `make run` (the guide's quick start on embedded defaults) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
EXTRAS ?= dev,llm,mlflow,vertex

.PHONY: run test test-fast test-slow lint bench system clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# torch first, pinned: it is a local CPU wheel; anything looser pulls CUDA.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[$(EXTRAS)]'
	touch $(STAMP)

# System packages: Mono's C# compiler for the generated-code type check (best effort without root).
system:
	@command -v mcs >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mono-mcs >/dev/null) \
	      || echo "warning: could not install mono-mcs; C# type checks will be skipped"; \
	  else echo "warning: not root, mono-mcs not installed; C# type checks will be skipped"; fi; }

run: $(STAMP) system
	$(PY) examples/quickstart.py

test: $(STAMP) system
	$(VENV)/bin/ruff check src tests bench examples
	$(PY) -m pytest -q

test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not slow"

test-slow: $(STAMP) system
	$(PY) -m pytest -q -m slow

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench examples

bench: $(STAMP)
	for f in bench/bench_*.py; do $(PY) $$f || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache artifacts results
