"""Browser sessions for the review page: a signed HttpOnly cookie, and a CSRF token that every
state-changing request must repeat in a header.

The cookie carries the agency, the CSRF token and an expiry, signed with HMAC-SHA256 under a
secret kept in the data folder, so any replica of the service can check it without a session
table.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from cataloging.output import create_once

COOKIE = "dossier_session"
CSRF_HEADER = "X-CSRF-Token"


@dataclass(frozen=True)
class Session:
    agency: str
    csrf: str


class SessionSigner:
    def __init__(self, secret: bytes, ttl_s: float = 8 * 3600):
        self.secret, self.ttl_s = secret, ttl_s

    @classmethod
    def stored(cls, secret_file: Path) -> SessionSigner:
        """With the secret kept in `secret_file` (made on first use): every replica signs alike."""
        return cls(create_once(secret_file, secrets.token_bytes(32)))

    def issue(self, agency: str) -> tuple[str, Session]:
        session = Session(agency, secrets.token_urlsafe(24))
        body = base64.urlsafe_b64encode(json.dumps({"a": session.agency, "c": session.csrf, "e": time.time() + self.ttl_s}).encode())
        return f"{body.decode()}.{self._mac(body)}", session

    def read(self, cookie: str | None) -> Session | None:
        """The session a cookie carries, if it is ours, unaltered and not expired."""
        if not cookie or "." not in cookie:
            return None
        body, mac = cookie.rsplit(".", 1)
        if not hmac.compare_digest(mac, self._mac(body.encode())):
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(body))
        except ValueError:
            return None
        return Session(data["a"], data["c"]) if data.get("e", 0) > time.time() else None

    def _mac(self, body: bytes) -> str:
        return hmac.new(self.secret, body, hashlib.sha256).hexdigest()
