"""What the service and the local review page share at the HTTP layer against hostile browsers and
clients: frames refused, cross-site sign-ins refused, validation errors that do not echo input.
The threat model is docs/threat-model.md."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOC_PART_CHARS = 64  # a field name is the client's text too: named, not repeated at length


def same_origin(request: Request) -> bool:
    """Whether a browser sent this request from one of this site's own pages: browsers name the
    page's origin on every POST (Origin; Sec-Fetch-Site). A request naming neither is no
    browser's, and a cross-site form cannot forge it. Under `Referrer-Policy: no-referrer` a
    browser sends `Origin: null` with a form's POST: then Sec-Fetch-Site, which no page can set,
    says where it came from."""
    origin = request.headers.get("origin")
    site = request.headers.get("sec-fetch-site")
    if origin is None or (origin == "null" and site is not None):
        return (site or "same-origin") in ("same-origin", "none")
    return origin == f"{request.url.scheme}://{request.url.netloc}"


class NoFraming:
    """No page of the app may be shown in another site's frame (clickjacking): CSP
    frame-ancestors for current browsers, X-Frame-Options for older ones."""

    HEADERS = {"Content-Security-Policy": "frame-ancestors 'none'", "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
               "Referrer-Policy": "no-referrer"}  # no-referrer: a sign-in link in the address bar goes nowhere else

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, with_headers)


def quiet_validation_errors(app: FastAPI) -> None:
    """422s that say what was wrong and where, without FastAPI's `input`: a refused body of
    hundreds of megabytes must not come back to its sender (nor land in a log) whole."""

    @app.exception_handler(RequestValidationError)
    async def refused(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": [
            {"type": e["type"], "msg": e["msg"], "loc": [p[:LOC_PART_CHARS] if isinstance(p, str) else p for p in e["loc"]]}
            for e in exc.errors()]}, 422)
