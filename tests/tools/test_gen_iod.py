"""tools/gen_iod.py: the committed IOD table is what the pinned highdicom gives, and its building blocks.

Needs highdicom (a pinned dev dependency, like the generator).
"""

from __future__ import annotations

from typing import Any

from conftest import load_tool

gen = load_tool("gen_iod")

CONTENT_SEQUENCE = 0x0040A730
RELATIONSHIP_TYPE = 0x0040A010
TEXT_VALUE = 0x0040A160
OBSERVATION_DATETIME = 0x0040A032


def test_committed_table_is_fresh() -> None:
    assert gen.main(["--check"]) == 0


def test_freshness_ignores_only_the_pydicom_version() -> None:
    fresh = gen.render(
        {"format": "x", "source": {"keyword_dictionary": "pydicom 3.0.2"}, "tables": [{"a": "1"}]}
    )
    newer = fresh.replace("pydicom 3.0.2", "pydicom 3.0.9")
    assert gen.same_table(newer, fresh)
    assert not gen.same_table(newer.replace('"a":"1"', '"a":"2"'), fresh)
    assert not gen.same_table("", fresh)


def test_stronger() -> None:
    assert gen.stronger("2", "1") == "1"
    assert gen.stronger("1C", "2") == "1C"
    assert gen.stronger("3", "2C") == "2C"
    assert gen.stronger("3", "3") == "3"


def test_repeating_group_keywords_resolve_at_the_base_group() -> None:
    assert gen.tag_of("OverlayRows") == 0x60000010
    assert gen.tag_of("OverlayData") == 0x60003000
    assert gen.tag_of("PatientName") == 0x00100010


def test_module_rows_become_a_tree_with_the_strongest_type() -> None:
    rows = [
        {"keyword": "ReferencedImageSequence", "type": "3", "path": []},
        {"keyword": "ReferencedSOPInstanceUID", "type": "1", "path": ["ReferencedImageSequence"]},
        {"keyword": "ReferencedImageSequence", "type": "2", "path": []},
    ]
    tree = gen.module_tree(rows, "m")
    kind, items = tree[0x00081140]
    assert kind == "2"
    assert items == {0x00081155: ("1", None)}


def test_content_sequence_items_become_recursive() -> None:
    # as the upstream parser gives it: one level of Content Sequence items, no relationship
    # macro attributes in them
    tree: dict[int, tuple[str, Any]] = {
        CONTENT_SEQUENCE: ("1C", {RELATIONSHIP_TYPE: ("1", None), TEXT_VALUE: ("1C", None)}),
        OBSERVATION_DATETIME: ("1C", None),
    }
    assert gen.close_content_sequences(tree) == 1
    item = tree[CONTENT_SEQUENCE][1]
    assert item[CONTENT_SEQUENCE][1] is item  # any depth
    assert item[OBSERVATION_DATETIME] == ("1C", None)  # Table C.17-6, included in each item
    assert item[TEXT_VALUE] == ("1C", None)


def test_identical_tables_are_stored_once() -> None:
    code = {0x00080100: ("1C", None), 0x00080104: ("1", None)}
    tree = {0x00081032: ("3", dict(code)), 0x00400260: ("3", dict(code))}
    store = gen.TableStore()
    root = store.add(tree)
    assert len(store.tables) == 2
    assert store.tables[root]["00081032"] == store.tables[root]["00400260"]
