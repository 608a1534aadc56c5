# dcmscrub developer commands. `make test` is what CI runs (see .ci/run).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DEMO_OUT ?= demo-out
# the demo's own audit log, so that it does not append to the user's
DEMO_LOG ?= demo-audit/audit.jsonl

# a second environment with the [ocr] extra (the text detector), for the tests marked ocr
OCR_VENV ?= .venv-ocr
OCR_PY := $(OCR_VENV)/bin/python

.PHONY: install install-ocr demo test test-ocr lint types unit sample-data profiles vocabulary vocabulary-check clean

# a virtual environment with dcmscrub (editable) and its dev tools, remade when pyproject.toml changes
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

$(OCR_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(OCR_VENV)
	$(OCR_PY) -m pip install -q --upgrade pip
	$(OCR_PY) -m pip install -q -e '.[dev,ocr]'
	touch $@

install-ocr: $(OCR_VENV)/.installed

# exit 3 (partial) is expected: sample_data holds a burned-in-annotation file that is quarantined
demo: $(VENV)/.installed
	rm -rf $(DEMO_OUT) $(dir $(DEMO_LOG))
	$(PY) -m dcmscrub scrub sample_data --out $(DEMO_OUT) --no-encrypt --profile basic -v --log $(DEMO_LOG) || [ $$? -eq 3 ]
	$(PY) -m dcmscrub diff sample_data/DOE_JANE_FAKE-MRN-0001/CT_2024-01-15/slice_001.dcm $(DEMO_OUT)

lint: $(VENV)/.installed
	$(PY) -m ruff check src tests tools benchmarks
	$(PY) -m ruff format --check src tests tools benchmarks

types: $(VENV)/.installed
	$(PY) -m mypy

unit: $(VENV)/.installed
	$(PY) -m pytest -q

test: lint types unit

# the detector's tests (deselected by `make unit`: the core suite never needs the extra)
test-ocr: $(OCR_VENV)/.installed
	$(OCR_PY) -m pytest -q -m ocr

profiles: $(VENV)/.installed
	$(PY) tools/gen_annex_e.py
	$(PY) tools/gen_well_known_uids.py

# the vocabulary clean keeps (src/dcmscrub/standard/data/vocabulary.txt), regenerated from its
# sources in a separate venv with the pinned tools extra; needs Debian's wamerican word list
TOOLS_VENV ?= .venv-tools
$(TOOLS_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(TOOLS_VENV)
	$(TOOLS_VENV)/bin/python -m pip install -q -e '.[tools]'
	touch $@

vocabulary: $(TOOLS_VENV)/.installed
	$(TOOLS_VENV)/bin/python tools/gen_vocabulary.py

vocabulary-check: $(TOOLS_VENV)/.installed
	$(TOOLS_VENV)/bin/python tools/gen_vocabulary.py --check

sample-data: $(VENV)/.installed
	$(PY) tools/make_sample_data.py sample_data

clean:
	rm -rf $(DEMO_OUT) .pytest_cache .mypy_cache .ruff_cache
