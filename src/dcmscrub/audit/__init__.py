"""The audit log: typed records (:mod:`~dcmscrub.audit.records`) appended to a hash-chained,
optionally signed JSON-lines file (:mod:`~dcmscrub.audit.log`, :mod:`~dcmscrub.audit.line`),
the marks of live runs and the batches they are committing (:mod:`~dcmscrub.audit.journal`),
and its verification (:mod:`~dcmscrub.audit.verify`) and display (:mod:`~dcmscrub.audit.show`)."""
