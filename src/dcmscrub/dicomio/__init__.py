"""DICOM files in and out: sniffing, reading a header without its pixel data, encoding Part 10, and
fast access to a dataset's stored elements. The only package that touches pydicom's internals."""
