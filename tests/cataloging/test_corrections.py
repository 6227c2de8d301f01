"""Corrections as events: each keeps every page exactly once, and the history makes every version
again, undo and redo included."""

import pytest

from cataloging.corrections import CorrectionError, History, Structure

TYPES = {"interrogation_record", "detention_warrant", "inquiry_record", "seizure_list"}


def catalog():
    def doc(seq, type_, pages):
        return {"seq": seq, "type": type_, "title": None, "doc_number": None, "author": None, "date": None, "persons": [],
                "pages": [{"source": {"file": 0, "page": p}} for p in pages]}

    return {"documents": [doc(1, "interrogation_record", [1, 2, 3]), doc(2, "detention_warrant", [4]), doc(3, "seizure_list", [5, 6])],
            "excluded": [{"source": {"file": 0, "page": 7}, "reason": "blank"}]}


def pages_of(s: Structure) -> list[list[str]]:
    return [d.pages for d in s.documents]


def test_split_merge_move_and_retype_keep_every_page_once():
    h = History(Structure.from_catalog(catalog()))
    h.record("split", {"doc": "d1", "page": "0:3"}, "张三", TYPES)
    assert pages_of(h.current) == [["0:1", "0:2"], ["0:3"], ["0:4"], ["0:5", "0:6"]]
    assert [d.id for d in h.current.documents] == ["d1", "d1.2", "d2", "d3"]
    h.record("merge", {"doc": "d3"}, "张三", TYPES)
    assert pages_of(h.current) == [["0:1", "0:2"], ["0:3"], ["0:4", "0:5", "0:6"]]
    h.record("set_type", {"doc": "d1.2", "type": "inquiry_record"}, "张三", TYPES)
    h.record("move_page", {"page": "0:6", "to_doc": "d1", "index": 0}, "张三", TYPES)
    h.record("move_document", {"doc": "d2", "index": 0}, "张三", TYPES)
    h.record("restore", {"page": "0:7", "to_doc": "d2", "index": 1}, "张三", TYPES)
    s = h.current
    assert pages_of(s) == [["0:4", "0:7", "0:5"], ["0:6", "0:1", "0:2"], ["0:3"]]
    assert s.document("d1.2").type == "inquiry_record" and s.excluded == {}
    assert sorted(s.all_pages()) == [f"0:{n}" for n in range(1, 8)]


def test_events_say_who_when_what_and_the_documents_before_and_after():
    h = History(Structure.from_catalog(catalog()))
    event = h.record("set_type", {"doc": "d2", "type": "seizure_list"}, "李四", TYPES)
    assert event["who"] == "李四" and event["when"] and event["op"] == "set_type"
    assert [d["type"] for d in event["before"]["documents"]] == ["detention_warrant"]
    assert [d["type"] for d in event["after"]["documents"]] == ["seizure_list"]


def test_undo_redo_and_every_earlier_version():
    h = History(Structure.from_catalog(catalog()))
    compiled = pages_of(h.current)
    h.record("split", {"doc": "d1", "page": "0:2"}, "张三", TYPES)
    split = pages_of(h.current)
    h.record("exclude", {"page": "0:4", "reason": "duplicate"}, "张三", TYPES)
    h.record("undo", {}, "张三", TYPES)
    assert pages_of(h.current) == split and "0:4" not in h.current.excluded
    h.record("undo", {}, "张三", TYPES)
    assert pages_of(h.current) == compiled
    h.record("redo", {}, "张三", TYPES)
    assert pages_of(h.current) == split
    assert pages_of(h.replay(1)[0]) == split and pages_of(h.replay(0)[0]) == compiled
    h.record("rotate", {"page": "0:5", "degrees": 90}, "张三", TYPES)  # a new correction ends redo
    with pytest.raises(CorrectionError, match="nothing to redo"):
        h.record("redo", {}, "张三", TYPES)
    assert h.current.turns == {"0:5": 90}


def test_bad_corrections_are_refused_by_name():
    h = History(Structure.from_catalog(catalog()))
    for op, args, message in (
        ("set_type", {"doc": "d1", "type": "poem"}, "unknown document type poem"),
        ("split", {"doc": "d1", "page": "0:1"}, "nothing to split"),
        ("merge", {"doc": "d1"}, "none before it"),
        ("move_page", {"page": "0:7", "to_doc": "d1"}, "excluded: restore it"),
        ("exclude", {"page": "0:1", "reason": "boring"}, "blank or duplicate"),
        ("restore", {"page": "0:1"}, "not excluded"),
        ("edit", {"doc": "d1", "field": "type", "value": "x"}, "cannot be edited"),
        ("move_page", {"page": "9:9", "to_doc": "d1"}, "no source page 9:9"),
        ("undo", {}, "nothing to undo"),
    ):
        with pytest.raises(CorrectionError, match=message):
            h.record(op, args, "张三", TYPES)
    assert h.events == []


def test_a_document_emptied_by_moves_disappears_and_edits_clean_their_values():
    h = History(Structure.from_catalog(catalog()))
    h.record("move_page", {"page": "0:4", "to_doc": "d3"}, "张三", TYPES)
    assert [d.id for d in h.current.documents] == ["d1", "d3"]
    h.record("edit", {"doc": "d3", "field": "persons", "value": "刘建国， 王芳"}, "张三", TYPES)
    h.record("edit", {"doc": "d3", "field": "doc_number", "value": "  "}, "张三", TYPES)
    assert h.current.document("d3").persons == ["刘建国", "王芳"] and h.current.document("d3").doc_number is None


def test_a_queue_item_confirmed_is_kept_with_who_and_when_undone_redone_and_read_back_from_the_catalog():
    h = History(Structure.from_catalog(catalog()))
    for args, message in (({"kind": "folder", "page": "0:1"}, "not folder"), ({"kind": "document", "doc": "d9"}, "no document d9"),
                          ({"kind": "excluded", "page": "0:1"}, "no excluded 0:1"), ({"kind": "page", "page": "0:7"}, "no page 0:7")):
        with pytest.raises(CorrectionError, match=message):
            h.record("confirm", args, "张三", TYPES)
    event = h.record("confirm", {"kind": "excluded", "page": "0:7"}, "张三", TYPES)
    h.record("confirm", {"kind": "document", "doc": "d2"}, "张三", TYPES)
    assert event["after"]["confirmed"] == [{"kind": "excluded", "page": "0:7", "by": "张三", "at": event["when"]}]
    assert h.current.confirmation("excluded", "0:7") == {"by": "张三", "at": event["when"]}
    with pytest.raises(CorrectionError, match="confirmed already"):
        h.record("confirm", {"kind": "document", "doc": "d2"}, "张三", TYPES)
    h.record("undo", {}, "张三", TYPES)
    assert h.current.confirmation("document", "d2") is None and h.current.confirmation("excluded", "0:7")
    h.record("redo", {}, "张三", TYPES)
    assert h.current.confirmation("document", "d2")
    assert Structure.from_json(h.current.to_json()).confirmed == h.current.confirmed

    # a confirmation goes with what it confirmed: a page restored is no longer the excluded page confirmed
    h.record("restore", {"page": "0:7", "to_doc": "d1"}, "张三", TYPES)
    h.record("exclude", {"page": "0:7", "reason": "duplicate"}, "张三", TYPES)
    assert h.current.confirmation("excluded", "0:7") is None and h.current.confirmation("document", "d2")

    saved = catalog() | {"review": {"confirmed": [{"kind": "page", "page": "0:5", "by": "张三", "at": "2024-03-12T09:30:00+00:00"}]}}
    assert Structure.from_catalog(saved).confirmation("page", "0:5") == {"by": "张三", "at": "2024-03-12T09:30:00+00:00"}
