"""The review page: what the compiler decided, the doubtful decisions first, every decision
correctable, and the dossier rebuilt on save (`compiler_service/review.py` does the work).

The same routes serve two places: the compile service (`api.py`: signed in with an agency's API
key, a dossier is a job of that agency) and `dossier review OUT_DIR` (one folder on loopback,
signed in with the one-time link it prints). A browser signs in once and gets an HttpOnly session
cookie; every state-changing request must carry the session's CSRF token in `X-CSRF-Token`.
Scripts, styles and fonts all come from this app: agencies run on closed networks.
"""


import json
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, FastAPI, Form, HTTPException, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse

from cataloging.assemble import FLAG_LABELS, REASON_LABELS, read_scans
from cataloging.corrections import CorrectionError, page_key, source_of
from compiler_service.review import Review
from compiler_service.sessions import COOKIE, CSRF_HEADER, Session, SessionSigner
from compiler_service.settings import Settings
from ocr.page import PageRef, ocr_confidence, preview_name

STATIC = resources.files("compiler_service") / "review_static"
LOW_CONFIDENCE = 0.8
OPEN_DOSSIERS = 8  # dossiers kept read (page records, scans) between requests
TURN_LABEL = "页面已旋转"


class ReviewedDossier:
    """A `Review` with what the page shows read once: page records and scans."""

    def __init__(self, review: Review):
        self.review = review
        self.lock = threading.Lock()

    @cached_property
    def records(self) -> dict[str, dict]:
        data = json.loads((self.review.folder / "pages.json").read_text(encoding="utf-8"))
        return {page_key(r["source"]): r for r in data}

    @cached_property
    def scans(self) -> dict[PageRef, bytes]:
        return {ref: scan.data for ref, scan in read_scans(self.review.folder / "dossier.pdf").items()}

    def saved(self) -> None:
        for name in ("records", "scans"):
            self.__dict__.pop(name, None)


def state(d: ReviewedDossier) -> dict[str, Any]:
    """Everything the page shows, as JSON: the structure, each page's facts and the review queue."""
    review = d.review
    structure, in_force, undone = review.history.replay()
    taxonomy = review.taxonomy
    catalog = review.catalog
    names = [s["name"] for s in catalog["sources"]]
    compiled = {f"d{doc['seq']}": doc for doc in catalog["documents"]}
    pages = {}
    for key, record in d.records.items():
        label = record.get("label") or {}
        src = source_of(key)
        pages[key] = {
            "key": key, "source": names[src["file"]], "page": src["page"], "thumb": preview_name(PageRef(src["file"], src["page"])),
            "ocr_confidence": _rounded(ocr_confidence([(ln["text"], ln["score"]) for ln in record.get("lines") or []])), "type_confidence": label.get("confidence"), "boundary": label.get("boundary"),
            "page_number": label.get("page_number"), "rotation": record.get("rotation", 0), "turn": structure.turns.get(key, 0),
            "size": record.get("size"), "unreadable": record.get("unreadable"),
        }
    documents, queue = [], []
    for doc in structure.documents:
        t = taxonomy.type(doc.type)
        original = compiled.get(doc.id, {})
        confidence = original.get("confidence", 1.0) if original.get("type") == doc.type else 1.0
        why = [FLAG_LABELS.get(f, f) for f in original.get("flags", []) if f in FLAG_LABELS]
        if confidence < LOW_CONFIDENCE and "低置信度" not in why:
            why.append("类型置信度低")
        documents.append({"id": doc.id, "type": doc.type, "type_label": t.label, "volume": taxonomy.volume(t.volume).label,
                          "title": doc.title, "doc_number": doc.doc_number, "author": doc.author, "date": doc.date,
                          "persons": doc.persons, "pages": doc.pages, "confidence": confidence, "why": why})
        if why:
            queue.append({"kind": "document", "id": doc.id, "page": doc.pages[0], "confidence": confidence,
                          "title": doc.title or t.label, "why": why})
    for doc in structure.documents:
        numbered = any(pages[k]["page_number"] for k in doc.pages)
        for key in doc.pages:
            page, why = pages[key], []
            sure = page["boundary"] if page["boundary"] is not None else 1.0
            if sure < LOW_CONFIDENCE:
                why.append("边界不确定")
            if numbered and not page["page_number"]:
                why.append("页码无法识别")
            if page["rotation"] or page["turn"]:
                why.append(TURN_LABEL)
            if why:
                queue.append({"kind": "page", "id": doc.id, "page": key, "confidence": min(sure, 0.95),
                              "title": f"{page['source']} 第{page['page']}页", "why": why})
    excluded = []
    for key, reason in structure.excluded.items():
        excluded.append({"page": key, "reason": reason, "reason_label": REASON_LABELS.get(reason, reason),
                         "detail": pages[key]["unreadable"]})
        queue.append({"kind": "excluded", "id": None, "page": key, "confidence": 0.5 if reason == "duplicate" else 0.9,
                      "title": f"{pages[key]['source']} 第{pages[key]['page']}页",
                      "why": ["可能重复" if reason == "duplicate" else REASON_LABELS.get(reason, reason)]})
    queue.sort(key=lambda q: q["confidence"])
    return {
        "case": catalog.get("case", {}), "documents": documents, "excluded": excluded, "pages": pages, "queue": queue,
        "types": [{"code": t.code, "label": t.label, "volume": taxonomy.volume(t.volume).label} for t in taxonomy.types],
        "can_undo": bool(in_force), "can_redo": bool(undone), "changes": len(in_force),
        "history": [{"seq": e["seq"], "who": e["who"], "when": e["when"], "op": e["op"], "args": e["args"],
                     "in_force": e["seq"] in in_force} for e in review.history.events],
        "review": catalog.get("review"),
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def review_router(
    signer: SessionSigner,
    authenticate: Callable[[str], str | None],
    find: Callable[[str, str], Path | None],
    settings: Settings,
    *,
    link_login: bool = False,
    reviewer: Callable[[Session], str] = lambda s: s.agency,
) -> APIRouter:
    """`authenticate(key)` gives the agency of a key (None: refused); `find(agency, id)` the
    result folder of a dossier that agency may review now (None: 404), asked at every request, so
    a deleted dossier or a revoked key stops at once. `link_login` lets a GET with the key sign in
    (the local one-time link; never for API keys, which must not travel in URLs)."""
    router = APIRouter(prefix="/review", include_in_schema=False)
    open_dossiers: OrderedDict[Path, ReviewedDossier] = OrderedDict()  # the last few, with their scans read
    guard = threading.Lock()

    def session(request: Request) -> Session:
        found = signer.read(request.cookies.get(COOKIE))
        if found is None:
            raise HTTPException(401, "sign in first: /review/login")
        return found

    def changing(request: Request, found: Annotated[Session, Depends(session)]) -> Session:
        if request.headers.get(CSRF_HEADER) != found.csrf:
            raise HTTPException(403, f"missing or wrong {CSRF_HEADER}")
        return found

    def dossier(rid: str, found: Session) -> ReviewedDossier:
        folder = find(found.agency, rid)
        if folder is None:
            raise HTTPException(404, f"no dossier {rid}")
        with guard:
            if folder not in open_dossiers:
                open_dossiers[folder] = ReviewedDossier(Review(folder, settings))
                while len(open_dossiers) > OPEN_DOSSIERS:
                    open_dossiers.popitem(last=False)
            open_dossiers.move_to_end(folder)
            return open_dossiers[folder]

    def signed_in(agency: str, target: str) -> Response:
        cookie, _ = signer.issue(agency)
        response = RedirectResponse(target if target.startswith("/review/") else "/review/", 303)
        response.set_cookie(COOKIE, cookie, httponly=True, samesite="strict", max_age=int(signer.ttl_s), path="/review")
        return response

    @router.get("/login", response_class=HTMLResponse)
    def login_page(request: Request, key: str | None = None, next: str = "/review/") -> Response:
        if key is not None and link_login:
            agency = authenticate(key)
            if agency is None:
                raise HTTPException(401, "this link is not valid")
            return signed_in(agency, next)
        return HTMLResponse((STATIC / "login.html").read_text(encoding="utf-8").replace("{{next}}", _attr(next)))

    @router.post("/login")
    def login(key: Annotated[str, Form()], next: Annotated[str, Form()] = "/review/") -> Response:
        agency = authenticate(key.strip())
        if agency is None:
            raise HTTPException(401, "unknown key")
        return signed_in(agency, next)

    @router.get("/static/{name}")
    def static(name: str) -> Response:
        files = {"review.js": "text/javascript", "review.css": "text/css"}
        if name not in files:
            raise HTTPException(404)
        return Response((STATIC / name).read_bytes(), media_type=files[name], headers={"Cache-Control": "no-cache"})

    @router.get("/{rid}/", response_class=HTMLResponse)
    def page(rid: str, request: Request) -> Response:
        found = signer.read(request.cookies.get(COOKIE))
        if found is None:
            return RedirectResponse(f"/review/login?next=/review/{rid}/", 303)
        dossier(rid, found)
        return HTMLResponse((STATIC / "index.html").read_text(encoding="utf-8").replace("{{csrf}}", _attr(found.csrf)))

    @router.get("/{rid}/api/state")
    def get_state(rid: str, found: Annotated[Session, Depends(session)]) -> dict:
        return state(dossier(rid, found))

    @router.get("/{rid}/api/thumbnails/{name}")
    def thumbnail(rid: str, name: str, found: Annotated[Session, Depends(session)]) -> FileResponse:
        d = dossier(rid, found)
        key = name.removesuffix(".jpg").replace("-", ":", 1)
        path = d.review.folder / "thumbnails" / name
        if key not in d.records or f"{key.replace(':', '-')}.jpg" != name or not path.exists():  # only a page's own file
            raise HTTPException(404)
        return FileResponse(path, media_type="image/jpeg")

    @router.get("/{rid}/api/scan/{key}")
    def scan(rid: str, key: str, found: Annotated[Session, Depends(session)]) -> Response:
        d = dossier(rid, found)
        try:
            ref = PageRef(**source_of(key))
        except ValueError:
            raise HTTPException(404) from None
        with d.lock:
            data = d.scans.get(ref)
        if data is None:
            raise HTTPException(404)
        return Response(data, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=60"})

    @router.get("/{rid}/api/ocr/{key}")
    def ocr(rid: str, key: str, found: Annotated[Session, Depends(session)]) -> dict:
        record = dossier(rid, found).records.get(key)
        if record is None:
            raise HTTPException(404)
        return {"size": record["size"], "lines": record["lines"], "regions": record["regions"]}

    @router.post("/{rid}/api/correct")
    def correct(rid: str, found: Annotated[Session, Depends(changing)],
                op: Annotated[str, Body()], args: Annotated[dict, Body()] = {}) -> dict:  # noqa: B006
        d = dossier(rid, found)
        try:
            d.review.correct(op, args, reviewer(found))
        except (CorrectionError, KeyError) as exc:
            raise HTTPException(422, str(exc).strip("'")) from None
        return state(d)

    @router.post("/{rid}/api/save")
    def save(rid: str, found: Annotated[Session, Depends(changing)]) -> JSONResponse:
        d = dossier(rid, found)
        with d.lock:
            try:
                catalog = d.review.save(reviewer(found))
            except CorrectionError as exc:
                raise HTTPException(422, str(exc)) from None
            d.saved()
        return JSONResponse({"review": catalog["review"], "documents": len(catalog["documents"]),
                             "excluded": len(catalog["excluded"]), "state": state(d)})

    return router


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def local_review_app(folder: Path, settings: Settings, token: str, reviewer: str) -> FastAPI:
    """`dossier review OUT_DIR`: the review page of one folder, for whoever holds the link."""
    Review(folder, settings)  # not a compiled dossier: fail now, not in the browser
    app = FastAPI(title="dossier review", docs_url=None, redoc_url=None, openapi_url=None)
    app.include_router(review_router(
        SessionSigner(secrets.token_bytes(32)),
        authenticate=lambda key: "local" if secrets.compare_digest(key, token) else None,
        find=lambda agency, rid: folder if rid == "local" else None,
        settings=settings,
        link_login=True,
        reviewer=lambda _: reviewer,
    ))
    return app
