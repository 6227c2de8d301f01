"""Every file of the shared robustness corpus (real-world odd and broken files) compiles with every
page accounted for, or fails with an error that names it; none brings the compiler down. Each file
is its own job, as a user would send it; the models are loaded once for all of them."""

from pathlib import Path

import pytest

from cataloging.catalog import validate_catalog
from cataloging.manifest import verify
from classification.taxonomy import load_taxonomy
from compiler_service.pipeline import Stages, compile_dossier, page_labeler
from compiler_service.settings import Settings
from ocr.ingest import IngestError
from tests.conftest import SHARED

CORPUS = SHARED / "corpus" / "ocrmypdf"
FILES = sorted(p.name for p in CORPUS.iterdir()) if CORPUS.exists() else []
# the corpus files that hold no scan at all: licence notes
NOT_SCANS = {"README.rst", "REUSE.toml"}
# a header and an end marker, nothing between: no PDF reader can make pages of it
BROKEN = {"invalid.pdf"}


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    # bounded: each page in a 2 GB worker for at most a minute
    return Settings(dpi=100, data_dir=tmp_path_factory.mktemp("data"), worker_memory_mb=2048, stage_seconds=60)


@pytest.fixture(scope="module")
def stages(settings, reader):
    return Stages(read=reader.read, label=page_labeler(settings, load_taxonomy(None)))


@pytest.mark.skipif(not FILES, reason=f"robustness corpus {CORPUS} is absent")
@pytest.mark.parametrize("name", FILES)
def test_each_corpus_file_compiles_or_fails_by_name(name, settings, stages, tmp_path):
    import json

    source = CORPUS / name
    out = tmp_path / "out"
    if name in NOT_SCANS | BROKEN:
        with pytest.raises(IngestError, match=rf"^{name}: "):
            compile_dossier([source], out, settings, stages=stages)
        assert not out.exists()
        return
    result = compile_dossier([source], out, settings, stages=stages)
    catalog = json.loads(Path(result.catalog).read_text(encoding="utf-8"))
    validate_catalog(catalog)
    placed = [p["source"] for d in catalog["documents"] for p in d["pages"]] + [e["source"] for e in catalog["excluded"]]
    assert sorted((p["file"], p["page"]) for p in placed) == [(0, n) for n in range(1, catalog["sources"][0]["pages"] + 1)]
    for excluded in catalog["excluded"]:
        assert excluded["reason"] != "unreadable" or excluded["detail"]
    assert verify(out).ok
