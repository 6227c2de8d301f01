"""Review of a compiled dossier: the corrections a clerk makes, kept as events, and the rebuild
that turns them into a new dossier.

A result folder under review holds its working state in `review/history.json` (the compiled
structure and every event since; not signed, it changes with every keystroke). Saving rebuilds
the dossier from the stored stage results (pages.json, the scans inside dossier.pdf): no OCR, no
model. The structure the clerk left is assembled as it stands (documents in the clerk's order
within each volume), the catalog says who reviewed it and when, `corrections.json` holds the
events applied (and the pages confirmed as compiled right, so they stay out of the review queue),
and the new folder takes the old one's place atomically.
"""

from __future__ import annotations

import io
import json
import shutil
import threading
from datetime import datetime
from pathlib import Path

import numpy as np
from PIL import Image

from cataloging.assemble import assemble, read_scans
from cataloging.audit import AuditLog
from cataloging.catalog import build_catalog, write_catalog
from cataloging.checks import assess, load_checks
from cataloging.corrections import CASE_EDITABLE, CORRECTIONS, CorrectionError, History, Structure, catalog_finding_id, finding_id, page_key
from cataloging.dossier import Document, Dossier
from cataloging.manifest import AUDIT, WORKING, load_or_create_key, write_manifest
from cataloging.order import volumes
from classification.taxonomy import Taxonomy, load_taxonomy
from compiler_service.pipeline import assembly_options, cover_defaults, software, write_page_results
from compiler_service.settings import Settings
from ocr.output import atomic_folder
from ocr.page import Page, PageLabel, PageRef, Region, SourceFile, TextLine, encode_scan, page_from_record, preview_jpeg, preview_name

HISTORY = f"{WORKING}/history.json"


class ReviewError(Exception):
    """The folder cannot be reviewed (not a compiled dossier)."""


class Review:
    """One dossier under review. Events are kept on disk as they come, so a closed browser or a
    stopped server loses nothing; one lock orders the requests of all of a dossier's reviewers."""

    def __init__(self, folder: Path, settings: Settings):
        self.folder, self.settings = folder, settings
        self.taxonomy = load_taxonomy(settings.taxonomy)
        self.lock = threading.Lock()
        if not (folder / "catalog.json").exists() or not (folder / "pages.json").exists():
            raise ReviewError(f"{folder}: not a compiled dossier (needs catalog.json and pages.json)")
        self.history = self._load()

    @property
    def catalog(self) -> dict:
        return json.loads((self.folder / "catalog.json").read_text(encoding="utf-8"))

    def _load(self) -> History:
        path = self.folder / HISTORY
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            return History(Structure.from_json(data["compiled"]), data["events"])
        return History(Structure.from_catalog(self.catalog, self.labels))

    @property
    def labels(self) -> dict[str, str]:
        return {t.code: t.label for t in self.taxonomy.types}

    def _store(self) -> None:
        path = self.folder / HISTORY
        path.parent.mkdir(exist_ok=True)
        tmp = path.with_name(".history.json.tmp")
        tmp.write_text(json.dumps({"compiled": self.history.compiled.to_json(), "events": self.history.events}, ensure_ascii=False),
                       encoding="utf-8")
        tmp.replace(path)

    def correct(self, op: str, args: dict, who: str) -> dict:
        with self.lock:
            if op == "dismiss_finding" and finding_id(args["rule"], args["message"], args.get("pages", [])) not in {
                    catalog_finding_id(f) for f in self.catalog.get("checks", [])}:  # only what the checks found, as the page shows it
                raise CorrectionError("the dossier has no such finding")
            event = self.history.record(op, args, who, set(self.taxonomy.codes))
            self._store()
            return event

    def save(self, who: str) -> dict:
        """Rebuild the dossier as the clerk left it; returns the new catalog."""
        with self.lock:
            structure, in_force, _ = self.history.replay()
            applied = [e for e in self.history.events if e["seq"] in in_force]
            rebuild(self.folder, structure, applied, self.settings, self.taxonomy, who)
            # the rebuilt dossier is the new starting point; its history stays in corrections.json
            self.history = History(Structure.from_catalog(self.catalog, self.labels))
            self._store()
            return self.catalog


def rebuild(folder: Path, structure: Structure, applied: list[dict], settings: Settings, taxonomy: Taxonomy, who: str) -> None:
    catalog = json.loads((folder / "catalog.json").read_text(encoding="utf-8"))
    sources = [SourceFile(Path(s["name"]), s["name"], s["sha256"], s["pages"]) for s in catalog["sources"]]
    scans = read_scans(folder / "dossier.pdf")
    pages: dict[str, Page] = {}
    for record in json.loads((folder / "pages.json").read_text(encoding="utf-8")):
        page = page_from_record(record, sources[record["source"]["file"]].name)
        page.scan = scans[page.ref]
        preview = folder / preview_name(page.ref)
        page.preview = preview.read_bytes() if preview.exists() else None
        pages[page_key(record["source"])] = page
    if sorted(pages) != sorted(structure.all_pages()):
        raise CorrectionError("the corrections do not hold every page of the dossier exactly once")
    for key, turn in structure.turns.items():
        _turn(pages[key], turn, settings.jpeg_quality)

    documents = []
    for entry in structure.documents:
        doc_pages = [pages[k] for k in entry.pages]
        for i, page in enumerate(doc_pages):
            page.blank, page.duplicate_of, page.unreadable = False, None, None
            page.label = PageLabel(entry.type, i == 0, 1.0, page.label.page_number if page.label else None, ["reviewed"])
        # untitled: its type's label, as the compile names it, so the checks' messages (and the
        # dismissals matched by them) read the same after a save
        documents.append(Document(entry.type, doc_pages, entry.title or taxonomy.type(entry.type).label, entry.doc_number, entry.author, entry.date,
                                  list(entry.persons), 1.0, ["reviewed"]))
    excluded = []
    for key in sorted(structure.excluded, key=lambda k: tuple(map(int, k.split(":")))):
        page, reason = pages[key], structure.excluded[key]
        page.label = None
        if reason == "blank":
            page.blank, page.duplicate_of = True, None
        elif reason == "duplicate" and page.duplicate_of is None:
            page.blank = False
            page.duplicate_of = _previous(page.ref, pages)
        excluded.append(page)
    vols = volumes(documents, taxonomy, settings.volume_page_limit)
    # the cover as the clerk left it; what the catalog did not say (a history begun before covers
    # were editable, a 立卷人 never set) from the settings and the profile
    case = {**cover_defaults(settings, taxonomy), **{k: v for k, v in catalog.get("case", {}).items() if k in CASE_EDITABLE}, **structure.case}
    dossier = Dossier(sources, vols, excluded, case.get("case_number"), case.get("title"), taxonomy.profile,
                      compiled_unit=case["compiled_unit"], compiled_by=case["compiled_by"])
    dossier.timings = dict(catalog.get("timings", {}))
    assess(dossier, load_checks(settings.taxonomy), {t.code: t.label for t in taxonomy.types})
    for finding in dossier.findings:  # found again after the rebuild: still dismissed, by whom and why
        if dismissed := structure.dismissal(finding.to_json()):
            finding.details["dismissed"] = dismissed

    audit = AuditLog.read(folder / AUDIT) if (folder / AUDIT).exists() else AuditLog()
    audit.record("reviewed", by=who, corrections=len(applied), documents=len(documents), excluded=len(excluded))
    reviewed_at = datetime.now().astimezone()
    with atomic_folder(folder) as staging:
        assembled = assemble(dossier, taxonomy, staging / "dossier.pdf", assembly_options(dossier, settings, reviewed_at))
        new_catalog = build_catalog(dossier, taxonomy, assembled, staging / "dossier.pdf")
        # the pages confirmed stay confirmed (their keys name them in every build); the documents are
        # numbered anew and leave the queue anyway, decided by the clerk
        new_catalog["review"] = {"reviewed_by": who, "reviewed_at": reviewed_at.isoformat(timespec="seconds"),
                                 "corrections": len(applied), "previous_pdf_sha256": catalog["output"]["sha256"],
                                 "confirmed": [c for c in structure.confirmed if c["kind"] != "document"]}
        write_catalog(new_catalog, staging / "catalog.json")
        ordered = sorted(pages.values(), key=lambda p: p.ref)
        write_page_results(staging, ordered)
        earlier = json.loads((folder / CORRECTIONS).read_text(encoding="utf-8")) if (folder / CORRECTIONS).exists() else []
        (staging / CORRECTIONS).write_text(json.dumps(earlier + [_without_snapshot(e) for e in applied], ensure_ascii=False, indent=1),
                                           encoding="utf-8")
        audit.record("dossier written", pdf_pages=assembled.page_count)
        write_manifest(staging, sources, ordered, audit, load_or_create_key(settings.signing_key_path()),
                       software=software(settings), settings=settings.recorded())
        if (folder / WORKING).exists():
            shutil.copytree(folder / WORKING, staging / WORKING)


def _without_snapshot(event: dict) -> dict:
    return {k: v for k, v in event.items() if k != "after_structure"}


def _previous(ref: PageRef, pages: dict[str, Page]) -> PageRef:
    """A page a clerk marks duplicate repeats the page scanned before it, as a doubled feed does
    (the one after it, for the very first page)."""
    earlier = [p.ref for p in pages.values() if p.ref < ref]
    return max(earlier) if earlier else min(p.ref for p in pages.values() if p.ref != ref)


def _turn(page: Page, degrees: int, quality: int) -> None:
    """Turn a page's scan, preview and OCR geometry by quarter turns clockwise."""
    quarters = (degrees // 90) % 4
    image = np.asarray(Image.open(io.BytesIO(page.scan.data)).convert("L" if page.scan.gray else "RGB"))
    turned = np.ascontiguousarray(np.rot90(image, -quarters))
    page.scan = encode_scan(turned, quality)
    page.preview = preview_jpeg(turned)
    width, height = image.shape[1], image.shape[0]  # the boxes are in pixels of the scan

    def box(b: tuple) -> tuple:
        x0, y0, x1, y1 = b
        w, h = width, height
        for _ in range(quarters):  # a quarter clockwise takes (x, y) to (h - y, x)
            x0, y0, x1, y1 = h - y1, x0, h - y0, x1
            w, h = h, w
        return (x0, y0, x1, y1)

    page.lines = [TextLine(ln.text, box(ln.box), ln.score) for ln in page.lines]
    page.regions = [Region(r.label, box(r.box), r.score) for r in page.regions]
    page.rotation = (page.rotation + degrees) % 360
