# dcmscrub developer commands. `make test` is what CI runs (see .ci/run).
PY ?= $(shell [ -x .venv/bin/python ] && echo .venv/bin/python || echo python3)
DEMO_OUT ?= demo-out

.PHONY: install demo test lint types unit sample-data profiles clean

install:
	$(PY) -m pip install -q -e '.[dev]'

demo:
	$(PY) -m dcmscrub scrub sample_data --out $(DEMO_OUT) --no-encrypt --overwrite --profile basic
	$(PY) tools/show_changes.py sample_data $(DEMO_OUT)

lint:
	$(PY) -m ruff check src tests tools benchmarks
	$(PY) -m ruff format --check src tests tools benchmarks

types:
	$(PY) -m mypy

unit:
	$(PY) -m pytest -q

test: lint types unit

profiles:
	$(PY) tools/gen_annex_e.py

sample-data:
	$(PY) tools/make_sample_data.py sample_data

clean:
	rm -rf $(DEMO_OUT) .pytest_cache .mypy_cache .ruff_cache
