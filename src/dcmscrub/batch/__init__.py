"""Batches of files: walk the inputs, run the per-file pipeline in worker processes, commit outputs
atomically in input order, record every file in the audit log. The only stage that opens,
renames and locks the files of a run."""
