"""The residual-identifier gate's reading, collecting and quick look as they were before they were
made faster (commit 333fa33: dicomio/flat.py, deid/identifiers.py, deid/quicklook.py, unchanged
but for this package's imports), kept as the oracle the faster ones are compared with
(tests/deid/test_gate_equivalence.py)."""
