"""Review: corrections kept as events and the dossier rebuilt from the stored stage results, with
every page once, the bookmarks and 卷内目录 following, and the result signed again."""

import json
import shutil
import subprocess

import numpy as np
import pikepdf
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from cataloging.catalog import validate_catalog
from cataloging.corrections import CorrectionError
from cataloging.manifest import verify
from compiler_service.pipeline import Stages, compile_dossier
from compiler_service.review import CORRECTIONS, Review
from compiler_service.review_app import ReviewedDossier, local_review_app, state
from compiler_service.settings import Settings
from tests.conftest import RECORD_FIRST_PAGE, RECORD_SECOND_PAGE, WARRANT_PAGE, draw_page


@pytest.fixture(scope="module")
def compiled(tmp_path_factory, reader):
    root = tmp_path_factory.mktemp("review")
    scans = root / "scans"
    scans.mkdir()
    pages = [draw_page(RECORD_FIRST_PAGE), draw_page(RECORD_SECOND_PAGE), draw_page(WARRANT_PAGE),
             np.full((2339, 1654, 3), 250, np.uint8)]
    for i, page in enumerate(pages, 1):
        Image.fromarray(page).resize((827, 1170)).save(scans / f"{i:02d}.png", dpi=(100, 100))
    settings = Settings(data_dir=root / "data")
    compile_dossier([scans], root / "out", settings, stages=Stages(read=reader.read))
    return root / "out", settings


@pytest.fixture
def review(compiled, tmp_path):
    out, settings = compiled
    shutil.copytree(out, tmp_path / "out")
    return Review(tmp_path / "out", settings)


def _docs(catalog):
    return sorted((d["type"], [(p["source"]["file"], p["source"]["page"]) for p in d["pages"]]) for d in catalog["documents"])


def _ids(review):
    """The record's and the warrant's document ids."""
    by_type = {d.type: d.id for d in review.history.current.documents}
    return by_type["interrogation_record"], by_type["detention_warrant"]


def test_the_compiled_dossier_is_what_review_starts_from(review):
    assert _docs(review.catalog) == [("detention_warrant", [(2, 1)]), ("interrogation_record", [(0, 1), (1, 1)])]
    assert [e["reason"] for e in review.catalog["excluded"]] == ["blank"]
    assert sorted(p.name for p in (review.folder / "thumbnails").iterdir()) == ["0-1.jpg", "1-1.jpg", "2-1.jpg", "3-1.jpg"]


def test_corrections_are_saved_into_a_rebuilt_signed_dossier(review):
    record, warrant = _ids(review)
    review.correct("split", {"doc": record, "page": "1:1"}, "张三")
    review.correct("set_type", {"doc": warrant, "type": "seizure_list"}, "张三")
    review.correct("restore", {"page": "3:1", "to_doc": warrant}, "张三")
    review.correct("edit", {"doc": warrant, "field": "title", "value": "扣押物品清单"}, "张三")
    review.correct("rotate", {"page": "2:1", "degrees": 90}, "张三")
    catalog = review.save("张三")

    validate_catalog(catalog)
    assert _docs(catalog) == [("interrogation_record", [(0, 1)]), ("interrogation_record", [(1, 1)]),
                              ("seizure_list", [(2, 1), (3, 1)])]
    seizure = next(d for d in catalog["documents"] if d["type"] == "seizure_list")
    assert catalog["excluded"] == [] and seizure["title"] == "扣押物品清单"
    assert catalog["review"]["reviewed_by"] == "张三" and catalog["review"]["corrections"] == 5
    assert seizure["pages"][0]["rotation"] in (90, 270)
    events = json.loads((review.folder / CORRECTIONS).read_text(encoding="utf-8"))
    assert [e["op"] for e in events] == ["split", "set_type", "restore", "edit", "rotate"] and events[0]["who"] == "张三"

    pdf = review.folder / "dossier.pdf"
    with pikepdf.open(pdf) as doc:
        with doc.open_outline() as outline:
            titles = [child.title for volume in outline.root for child in volume.children]
        turned = next(p for p in doc.pages if "/DossierSource" in p.obj and int(p.obj.DossierSource.File) == 2)
        assert float(turned.mediabox[2]) > float(turned.mediabox[3])  # the portrait page turned landscape
    assert titles.count("讯问笔录 — 刘建国 2024-03-12") + titles.count("讯问笔录 — 刘建国") >= 1
    assert any(t.startswith("扣押物品清单") for t in titles)
    first_pages = subprocess.run(["pdftotext", "-l", "3", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "扣押物品清单" in first_pages.replace(" ", "")  # the 卷内目录 follows
    assert verify(review.folder).ok  # signed again, history and all


def test_undone_corrections_are_not_saved_and_a_bad_one_changes_nothing(review):
    record, _ = _ids(review)
    review.correct("split", {"doc": record, "page": "1:1"}, "李四")
    review.correct("undo", {}, "李四")
    with pytest.raises(CorrectionError):
        review.correct("set_type", {"doc": record, "type": "no_such_type"}, "李四")
    catalog = review.save("李四")
    assert _docs(catalog) == [("detention_warrant", [(2, 1)]), ("interrogation_record", [(0, 1), (1, 1)])]
    assert catalog["review"]["corrections"] == 0


def test_the_working_history_survives_a_restart(review, compiled):
    _, settings = compiled
    _, warrant = _ids(review)
    review.correct("exclude", {"page": "2:1", "reason": "duplicate"}, "张三")
    again = Review(review.folder, settings)
    assert again.history.current.excluded == {"3:1": "blank", "2:1": "duplicate"}
    assert warrant not in [d.id for d in again.history.current.documents]
    catalog = again.save("张三")
    assert {e["reason"] for e in catalog["excluded"]} == {"blank", "duplicate"}


def test_a_finding_is_dismissed_once_with_a_reason_and_undo_brings_it_back(review):
    finding = review.catalog["checks"][0]
    args = {"rule": finding["rule"], "message": finding["message"], "pages": [f"{p['file']}:{p['page']}" for p in finding["pages"]]}
    for wrong in ({**args, "reason": "  "}, {**args, "message": "另一个问题", "reason": "已核实"}):
        with pytest.raises(CorrectionError):  # no reason; no such finding in this dossier
            review.correct("dismiss_finding", wrong, "张三")
    review.correct("dismiss_finding", {**args, "reason": "已核实"}, "张三")
    with pytest.raises(CorrectionError):
        review.correct("dismiss_finding", {**args, "reason": "再次"}, "张三")
    assert review.history.current.dismissal(finding) == {"by": "张三", "reason": "已核实", "at": review.history.events[-1]["when"]}
    review.correct("undo", {}, "张三")
    assert review.history.current.dismissal(finding) is None
    assert not any(f["details"].get("dismissed") for f in review.save("张三")["checks"])


def test_corrections_export_trains_a_model_that_loads(review, tmp_path):
    from typer.testing import CliRunner

    from classification.taxonomy import load_taxonomy
    from classification.page_model import PageModel
    from compiler_service.cli import app

    record, warrant = _ids(review)
    review.correct("set_type", {"doc": warrant, "type": "seizure_list"}, "张三")
    review.save("张三")
    runner = CliRunner()
    exported = runner.invoke(app, ["corrections", "export", str(review.folder.parent), "--output", str(tmp_path / "data")])
    assert exported.exit_code == 0, exported.output
    (case,) = (tmp_path / "data").iterdir()
    labels = json.loads((case / "labels.json").read_text(encoding="utf-8"))
    assert "seizure_list" in {d["type"] for d in labels["documents"]}  # what the clerk said, not what the model did
    trained = runner.invoke(app, ["train", "--data", str(tmp_path / "data"), "--output", str(tmp_path / "v-test"), "--epochs", "2"])
    assert trained.exit_code == 0, trained.output
    model = PageModel(tmp_path / "v-test", load_taxonomy(None))
    assert model.version == "v-test"


def test_only_reviewed_dossiers_are_exported(compiled, tmp_path):
    from typer.testing import CliRunner

    from compiler_service.cli import app

    out, _ = compiled
    result = CliRunner().invoke(app, ["corrections", "export", str(out), "--output", str(tmp_path / "data")])
    assert result.exit_code == 2 and "no reviewed dossiers" in " ".join(result.output.split())


def test_the_review_link_signs_in_once_then_its_session_carries_on(compiled):
    """`dossier review`'s link, however often it is found again (scrollback, browser history),
    signs in one browser once, by GET or by the login form; that browser keeps its session."""
    out, settings = compiled
    for first_by in ("link", "form"):
        app = local_review_app(out, settings, "the-token", "王五", 8765)
        browser, stranger = TestClient(app), TestClient(app)
        link = "/review/login?key=the-token&next=/review/local/"
        signed_in = (browser.get(link, follow_redirects=False) if first_by == "link" else
                     browser.post("/review/login", data={"key": "the-token", "next": "/review/local/"}, follow_redirects=False))
        assert signed_in.status_code == 303 and signed_in.headers["x-frame-options"] == "DENY"
        assert list(browser.cookies) == ["dossier_review_8765"]  # its port's: not the service's, nor another review's
        refused = stranger.get(link)  # the login form again, saying why in Chinese, still going where the link went
        assert refused.status_code == 401 and refused.headers["content-type"].startswith("text/html")
        assert "链接无效或已使用过" in refused.text and 'name="next" value="/review/local/"' in refused.text
        assert stranger.post("/review/login", data={"key": "the-token"}).status_code == 401
        assert stranger.post("/review/login", data={"key": "口令"}).status_code == 401  # not ASCII: refused, not a 500
        assert browser.get(link, follow_redirects=False).headers["location"] == "/review/local/"  # signed in already
        assert browser.get("/review/local/api/state").status_code == 200
        assert browser.get("/review/", follow_redirects=False).headers["location"] == "/review/local/"  # one folder: no list


def test_a_confirmed_queue_item_leaves_the_queue_and_stays_confirmed_after_a_save(review):
    dossier = ReviewedDossier(review)
    queued = {(q["kind"], q["page"]) for q in state(dossier)["queue"]}
    assert ("excluded", "3:1") in queued  # the blank page
    review.correct("confirm", {"kind": "excluded", "page": "3:1"}, "张三")
    after = state(dossier)
    assert ("excluded", "3:1") not in {(q["kind"], q["page"]) for q in after["queue"]} and after["confirmed"] == 1
    assert after["history"][-1]["op"] == "confirm" and after["history"][-1]["who"] == "张三"

    catalog = review.save("张三")
    assert [(c["kind"], c["page"], c["by"]) for c in catalog["review"]["confirmed"]] == [("excluded", "3:1", "张三")]
    assert [e["op"] for e in json.loads((review.folder / CORRECTIONS).read_text(encoding="utf-8"))] == ["confirm"]
    dossier.saved()
    assert ("excluded", "3:1") not in {(q["kind"], q["page"]) for q in state(dossier)["queue"]}  # read back from the new catalog
    validate_catalog(catalog)
