"""The standard as data: Table E.1-1 and its options, the safe private attributes, what the table
leaves to the implementer, and which attributes each IOD requires. Loaded once per process from
generated files under ``data/`` (their provenance is in each file's header and ``data/README.md``).

Profiles and the engine import from here; this package imports nothing of dcmscrub but errors.
"""
