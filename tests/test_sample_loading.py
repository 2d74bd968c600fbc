"""Loading a JSON sample: nesting limit, parsed value and keys on demand."""

from __future__ import annotations

from pathlib import Path

from os_api_ref_ext.json_samples import MAX_JSON_DEPTH, SampleKey, load_sample


def _load(tmp_path: Path, text: str):
    path = tmp_path / "sample.json"
    path.write_text(text, encoding="utf-8")
    return load_sample(str(path))


def test_too_deep_a_sample_is_refused(tmp_path: Path) -> None:
    depth = MAX_JSON_DEPTH + 1
    loaded = _load(tmp_path, "[" * depth + "]" * depth)
    assert loaded.json_error is not None
    assert loaded.json_error.message == f"nested deeper than {MAX_JSON_DEPTH} levels; not checked"
    assert loaded.value is None and loaded.keys == []


def test_many_brackets_side_by_side_are_not_deep(tmp_path: Path) -> None:
    items = ", ".join(['{"a": [1]}'] * MAX_JSON_DEPTH)
    loaded = _load(tmp_path, f'{{"list": [{items}], "s": "[[[{{{{"}}')
    assert loaded.json_error is None
    assert len(loaded.value["list"]) == MAX_JSON_DEPTH


def test_value_and_keys_come_from_the_text(tmp_path: Path) -> None:
    loaded = _load(tmp_path, '{"server": {"id": "x", "tags": [{"name": "a"}]}}')
    assert loaded.text is not None and loaded.object_like and loaded.top_type == "mapping"
    assert loaded.value == {"server": {"id": "x", "tags": [{"name": "a"}]}}
    assert loaded.value is not loaded.value  # parsed anew, never kept
    assert sorted(loaded.keys, key=lambda k: (k.parents, k.name)) == [
        SampleKey("server", ()),
        SampleKey("id", ("server",)),
        SampleKey("tags", ("server",)),
        SampleKey("name", ("server", "tags")),
    ]
    assert loaded.keys is loaded.keys  # made once


def test_a_sample_that_does_not_parse_has_no_value(tmp_path: Path) -> None:
    loaded = _load(tmp_path, '{"a": 1,}')
    assert loaded.json_error is not None and loaded.text is None
    assert loaded.value is None and loaded.keys == []
