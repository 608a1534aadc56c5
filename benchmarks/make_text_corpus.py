"""Build benchmarks/data/text_corpus.tsv: real descriptions and ROI names from public sources.

    python benchmarks/make_text_corpus.py ROOT...   (run by hand; the TSV is committed)

Each line: source (package or repository with its version or commit), file (path inside it),
keyword, value. Values are taken as they are, never written for the purpose:

* DICOM files: SeriesDescription, StudyDescription, ProtocolName, PerformedProcedureStepDescription,
  RequestedProcedureDescription, ROIName, SegmentLabel, at any depth, from pydicom's bundled test
  files, pydicom-data, deid-data, highdicom's and dicognito's test data (their repositories' data
  folders, at the commits given on the command line as LABEL=PATH);
* idc-index-data's ``idc_index.parquet`` (NCI Imaging Data Commons: public TCIA/IDC collections):
  for each collection, its 25 most frequent SeriesDescription values and 10 most frequent
  StudyDescription values (ties by value), analysis results excluded;
* TotalSegmentator's class names (``map_to_binary.py``, task "total"): ROI names its segmentations
  carry in public SEG and RTSTRUCT objects.

Each distinct (source, keyword, value) is kept once, with the first file it came from.
A second file, text_corpus_heldout.tsv, holds the next IDC values of each collection (see HELD_OUT_RANKS).
"""

from __future__ import annotations

import ast
import collections
import csv
import sys
import warnings
from pathlib import Path

KEYWORDS = {
    "SeriesDescription",
    "StudyDescription",
    "ProtocolName",
    "PerformedProcedureStepDescription",
    "RequestedProcedureDescription",
    "ROIName",
    "SegmentLabel",
}
OUT = Path(__file__).resolve().parent / "data" / "text_corpus.tsv"
HELD_OUT = Path(__file__).resolve().parent / "data" / "text_corpus_heldout.tsv"
PER_COLLECTION = {"SeriesDescription": 25, "StudyDescription": 10}
# the held-out set: the next values of each collection (ranks 26-40 and 11-15), never looked at while
# the curated vocabulary was being written; it only checks that the keep-rate is not tuned to the corpus
HELD_OUT_RANKS = {"SeriesDescription": (25, 40), "StudyDescription": (10, 15)}


def dicom_rows(label: str, root: Path) -> list[tuple[str, str, str, str]]:
    import pydicom

    rows = []

    def walk(ds: pydicom.Dataset, rel: str) -> None:
        for elem in ds:
            if elem.VR == "SQ":
                for item in elem.value:
                    walk(item, rel)
            elif elem.keyword in KEYWORDS and elem.value not in (None, ""):
                values = (
                    elem.value
                    if isinstance(elem.value, (list, pydicom.multival.MultiValue))
                    else [elem.value]
                )
                rows.extend((label, rel, elem.keyword, str(v)) for v in values if str(v).strip())

    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ds = pydicom.dcmread(path, stop_before_pixels=True, force=True)
        except Exception:
            continue
        if "SOPClassUID" in ds or "StudyInstanceUID" in ds:
            walk(ds, path.relative_to(root).as_posix())
    return rows


def idc_rows(label: str, parquet: Path, held_out: bool = False) -> list[tuple[str, str, str, str]]:
    import pyarrow.parquet as pq

    table = pq.read_table(parquet, columns=["collection_id", "analysis_result_id", *PER_COLLECTION])
    counts: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for row in table.to_pylist():
        if row["analysis_result_id"]:
            continue
        for keyword in PER_COLLECTION:
            if row[keyword]:
                counts[(row["collection_id"], keyword)][row[keyword]] += 1
    rows = []
    for (collection, keyword), counter in sorted(counts.items()):
        first, last = HELD_OUT_RANKS[keyword] if held_out else (0, PER_COLLECTION[keyword])
        top = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[first:last]
        rows.extend((label, f"{parquet.name} collection_id={collection}", keyword, v) for v, _n in top)
    return rows


def totalsegmentator_rows(label: str, source: Path) -> list[tuple[str, str, str, str]]:
    tree = ast.parse(source.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "class_map" for t in node.targets):
            class_map = ast.literal_eval(node.value)
            return [
                (label, f"{source.name} class_map['total']", "ROIName", v)
                for v in class_map["total"].values()
            ]
    raise SystemExit("class_map not found")


def write(path: Path, rows: list[tuple[str, str, str, str]]) -> None:
    seen = set()
    path.parent.mkdir(exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(["source", "file", "keyword", "value"])
        for source, file, keyword, value in rows:
            key = (source, keyword, value)
            if key not in seen:
                seen.add(key)
                w.writerow([source, file, keyword, value])
    print(f"wrote {path} ({len(seen)} lines)")


def main(args: list[str]) -> int:
    rows: list[tuple[str, str, str, str]] = []
    held_out: list[tuple[str, str, str, str]] = []
    for arg in args:
        label, _, path = arg.partition("=")
        p = Path(path)
        if p.suffix == ".parquet":
            rows += idc_rows(label, p)
            held_out += idc_rows(label, p, held_out=True)
        elif p.name == "map_to_binary.py":
            rows += totalsegmentator_rows(label, p)
        else:
            rows += dicom_rows(label, p)
    write(OUT, rows)
    write(HELD_OUT, held_out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
