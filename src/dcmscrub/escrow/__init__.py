"""Re-identification under control: a run's escrow table and the logged ways back.

A scrub run with escrow recipients streams original -> pseudonym rows (:mod:`~dcmscrub.escrow.format`)
into one age file encrypted only to them (:mod:`~dcmscrub.escrow.writer`), named atomically at the
end of the run and recorded in the audit log by its SHA-256. Whoever holds an escrow identity reads
it back (:mod:`~dcmscrub.escrow.reader`) to look rows up or export them, and whoever holds the
linkage key computes pseudonyms forward without any table (:mod:`~dcmscrub.escrow.access`); each
such access appends its own audit record.
"""
