"""The review page: what the compiler decided, the doubtful decisions first, every decision
correctable, and the dossier rebuilt on save (`compiler_service/review.py` does the work).

The same routes serve two places: the compile service (`api.py`: signed in with an agency's API
key, a dossier is a job of that agency; /review/ lists the agency's jobs and takes new scans) and
`dossier review OUT_DIR` (one folder on loopback, signed in with the one-time link it prints). A
browser signs in once and gets an HttpOnly session cookie (Secure when the request came over TLS),
bound to the key that signed in: a revoked key's sessions end at its next request. Sign-in forms are taken only from this site's own pages (Origin);
every state-changing request must carry the session's CSRF token in `X-CSRF-Token`; no page may be
framed by another site. Scripts, styles and fonts all come from this app: agencies run on closed
networks.
"""


import json
import secrets
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, FastAPI, Form, HTTPException, Query, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse

from cataloging.assemble import FLAG_LABELS, REASON_LABELS, read_scans
from cataloging.corrections import CorrectionError, page_key, source_of
from compiler_service.hardening import NoFraming, quiet_validation_errors, same_origin
from compiler_service.pipeline import cover_defaults
from compiler_service.review import Review
from compiler_service.sessions import CSRF_HEADER, Session, SessionSigner
from compiler_service.settings import Settings
from compiler_service.store import OFFSET_MAX
from ocr.ingest import IMAGE_SUFFIXES, PDF_SUFFIXES, ZIP_SUFFIXES
from ocr.page import PageRef, ocr_confidence, preview_name

STATIC = resources.files("compiler_service") / "review_static"
LOW_CONFIDENCE = 0.8
OPEN_DOSSIERS = 8  # dossiers kept read (page records, scans) between requests
TURN_LABEL = "页面已旋转"
LOGIN_FORM = {"max_fields": 4, "max_part_size": 4096}  # a key and a target: nothing larger is held in memory
# the quality checks' rules and severities (catalog.json "checks") as the clerk reads them
RULE_LABELS = {"missing_pages": "缺页", "unsigned_record_page": "笔录未签名捺印", "required_document_missing": "缺少必备文书",
               "time_limit": "时限与时间", "identity_mismatch": "身份信息不符", "poor_scan": "扫描质量差"}
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_ORDER = ("error", "warning", "info")
JOBS_PAGE = 50  # jobs listed a page, newest first
SCAN_SUFFIXES = PDF_SUFFIXES | IMAGE_SUFFIXES | ZIP_SUFFIXES  # what the upload form takes: what the compile reads
STATIC_FILES = {"common.js": "text/javascript", "review.js": "text/javascript", "jobs.js": "text/javascript", "review.css": "text/css"}
# a sign-in refused: what was wrong, for the clerk at the login form
REFUSED_KEY = "密钥无效或已被撤销，请检查后重新输入"
REFUSED_LINK = "链接无效或已使用过：登录链接只能使用一次，请重新运行 dossier review 获取新的链接"


class UploadRefused(Exception):
    """The service would not take an upload: the HTTP status, and why in words a clerk reads."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Intake:
    """How the service takes in scans, for the list page's upload form: `submit(agency, files)`
    stores them and queues their job as POST /v1/dossiers does (the job's id; `UploadRefused`),
    under that endpoint's body and form limits."""

    submit: Callable[[str, list], Awaitable[str]]
    max_body_size: int
    form_limits: dict[str, int]


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
    # an item the clerk confirmed as decided right leaves the queue (undo brings it back)
    open_items = [q for q in queue if not structure.confirmation(q["kind"], q["id"] if q["kind"] == "document" else q["page"])]
    confirmed, queue = len(queue) - len(open_items), sorted(open_items, key=lambda q: q["confidence"])
    # the checks' findings of the last build, most severe first; a dismissal not yet saved shows at once
    findings = [{"id": n, "rule": f["rule"], "rule_label": RULE_LABELS.get(f["rule"], f["rule"]), "severity": f["severity"],
                 "severity_label": SEVERITY_LABELS.get(f["severity"], f["severity"]), "message": f["message"],
                 "pages": [page_key(p) for p in f.get("pages", [])], "documents": f.get("documents", []),
                 "dismissed": structure.dismissal(f)}
                for n, f in enumerate(catalog.get("checks", []))]
    findings.sort(key=lambda f: (f["dismissed"] is not None, SEVERITY_ORDER.index(f["severity"])))
    return {
        "case": {**cover_defaults(review.settings, taxonomy), **catalog.get("case", {}), **structure.case}, "documents": documents, "excluded": excluded, "pages": pages, "queue": queue,
        "confirmed": confirmed,
        "findings": findings, "rules": RULE_LABELS, "severities": SEVERITY_LABELS,
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
    authenticate: Callable[[str], tuple[str, str] | None],
    find: Callable[[str, str], Path | None],
    settings: Settings,
    *,
    key_active: Callable[[str], bool] = lambda key_id: True,
    link_login: bool = False,
    reviewer: Callable[[Session], str] = lambda s: s.agency,
    jobs: Callable[[str, int, int], tuple[list[dict], int]] | None = None,
    intake: Intake | None = None,
    saved: Callable[[str, str, dict], None] | None = None,
) -> APIRouter:
    """`authenticate(key)` gives the agency and key id of a key (None: refused); `key_active(key_id)`
    whether a signed-in key is still valid, and `find(agency, id)` the result folder of a dossier
    that agency may review now (None: 404), both asked at every request, so a revoked key or a
    deleted dossier stops at once. `link_login` lets a GET with the key sign in (the local
    one-time link; never for API keys, which must not travel in URLs).

    The service's own, none of them for one folder: `jobs(agency, offset, limit)` the agency's
    jobs newest first as the API shows them, and how many in all, for the list page at /review/;
    `intake` its upload form; `saved(agency, id, review)` is told of each review saved (the
    catalog's `review` record)."""
    router = APIRouter(prefix="/review", include_in_schema=False, max_body_size=64 << 10)  # a login form, a correction
    open_dossiers: OrderedDict[Path, ReviewedDossier] = OrderedDict()  # the last few, with their scans read
    guard = threading.Lock()

    def current(request: Request) -> Session | None:
        found = signer.read(request.cookies.get(signer.cookie))
        return found if found is not None and key_active(found.key_id) else None

    def session(request: Request) -> Session:
        found = current(request)
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

    def redirect(target: str) -> RedirectResponse:
        return RedirectResponse(target if target.startswith("/review/") else "/review/", 303)

    def refused(next: str) -> HTMLResponse:
        """A sign-in refused: the login form again, saying why, still going to `next`."""
        return _page("login.html", 401, next=next, error=REFUSED_LINK if link_login else REFUSED_KEY)

    def signed_in(request: Request, who: tuple[str, str], target: str) -> Response:
        cookie, _ = signer.issue(*who)
        response = redirect(target)
        # Secure over TLS (directly, or as a trusted proxy says): the cookie never travels in clear
        response.set_cookie(signer.cookie, cookie, httponly=True, samesite="strict", max_age=int(signer.ttl_s), path="/review",
                            secure=request.url.scheme == "https")
        return response

    @router.get("/login", response_class=HTMLResponse)
    def login_page(request: Request, key: str | None = None, next: str = "/review/") -> Response:
        if current(request) is not None:  # signed in already (a link opened again): no new sign-in needed
            return redirect(next)
        if key is not None and link_login:
            who = authenticate(key)
            return signed_in(request, who, next) if who is not None else refused(next)
        return _page("login.html", next=next, error="")

    @router.post("/login", form_limits=LOGIN_FORM)
    def login(request: Request, key: Annotated[str, Form(max_length=256)], next: Annotated[str, Form(max_length=1024)] = "/review/") -> Response:
        if not same_origin(request):
            raise HTTPException(403, "sign in from this site's own login page")
        who = authenticate(key.strip())
        return signed_in(request, who, next) if who is not None else refused(next)

    @router.post("/logout")
    def logout(request: Request) -> Response:
        if not same_origin(request):
            raise HTTPException(403, "sign out from this site's own pages")
        response = RedirectResponse("/review/login", 303)
        response.delete_cookie(signer.cookie, path="/review", httponly=True, samesite="strict", secure=request.url.scheme == "https")
        return response

    @router.get("/static/{name}")
    def static(name: str) -> Response:
        if name not in STATIC_FILES:
            raise HTTPException(404)
        return Response((STATIC / name).read_bytes(), media_type=STATIC_FILES[name], headers={"Cache-Control": "no-cache"})

    if jobs is not None:
        @router.get("/", response_class=HTMLResponse)
        def job_list_page(request: Request) -> Response:
            found = current(request)
            if found is None:
                return RedirectResponse("/review/login?next=/review/", 303)
            return _page("jobs.html", csrf=found.csrf, upload="" if intake else "hidden")

        @router.get("/api/jobs")
        def job_list(found: Annotated[Session, Depends(session)], offset: Annotated[int, Query(ge=0, le=OFFSET_MAX)] = 0) -> dict:
            items, total = jobs(found.agency, offset, JOBS_PAGE)
            return {"items": items, "total": total, "offset": offset, "limit": JOBS_PAGE}

    if intake is not None:
        @router.post("/api/upload", status_code=202, max_body_size=intake.max_body_size)
        async def upload(request: Request, found: Annotated[Session, Depends(changing)]) -> dict:
            # the session, its CSRF token and the page's origin are checked before the body is read
            if not same_origin(request):
                raise HTTPException(403, "upload from this site's own pages")
            async with request.form(**intake.form_limits) as form:
                files = form.getlist("files")
                if not files or set(form) != {"files"} or any(isinstance(f, str) for f in files):
                    raise HTTPException(422, "请选择要上传的扫描文件")
                if unread := [f.filename for f in files if Path(f.filename or "").suffix.lower() not in SCAN_SUFFIXES]:
                    raise HTTPException(422, f"不支持的文件：{'、'.join(unread)}。可上传 PDF、TIFF、JPEG、PNG 扫描件或 ZIP 压缩包")
                try:
                    return {"id": await intake.submit(found.agency, files)}
                except UploadRefused as exc:
                    raise HTTPException(exc.status, str(exc)) from None

    @router.get("/{rid}/", response_class=HTMLResponse)
    def page(rid: str, request: Request) -> Response:
        found = current(request)
        if found is None:
            return RedirectResponse(f"/review/login?next=/review/{rid}/", 303)
        dossier(rid, found)
        return _page("index.html", csrf=found.csrf, home="" if jobs else "hidden")

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
        if saved is not None:
            saved(found.agency, rid, catalog["review"])
        return JSONResponse({"review": catalog["review"], "documents": len(catalog["documents"]),
                             "excluded": len(catalog["excluded"]), "state": state(d)})

    return router


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def _page(name: str, status: int = 200, **values: str) -> HTMLResponse:
    """A static page with its {{placeholders}} filled in, each value escaped."""
    text = (STATIC / name).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace(f"{{{{{key}}}}}", _attr(value))
    return HTMLResponse(text, status)


class OneTimeLink:
    """The secret of `dossier review`'s link, good for one sign-in (by the link or the login form):
    after that, a copy in the terminal's scrollback or the browser's history opens nothing."""

    def __init__(self, token: str):
        self._token, self._lock = token.encode(), threading.Lock()

    def __call__(self, key: str) -> tuple[str, str] | None:
        with self._lock:
            # bytes: compare_digest refuses str that is not ASCII
            if self._token is None or not secrets.compare_digest(key.encode(), self._token):
                return None
            self._token = None
            return "local", "local"


def local_review_app(folder: Path, settings: Settings, token: str, reviewer: str, port: int) -> FastAPI:
    """`dossier review OUT_DIR` on `port`: the review page of one folder, for whoever opens the
    link first."""
    Review(folder, settings)  # not a compiled dossier: fail now, not in the browser
    app = FastAPI(title="dossier review", docs_url=None, redoc_url=None, openapi_url=None)
    # one folder, no list of dossiers: the list's address opens it
    app.add_api_route("/review/", lambda: RedirectResponse("/review/local/", 303), include_in_schema=False)
    app.include_router(review_router(
        SessionSigner(secrets.token_bytes(32), cookie=f"dossier_review_{port}"),  # not the service's, nor another port's
        authenticate=OneTimeLink(token),
        find=lambda agency, rid: folder if rid == "local" else None,
        settings=settings,
        link_login=True,
        reviewer=lambda _: reviewer,
    ))
    app.add_middleware(NoFraming)
    quiet_validation_errors(app)
    return app
