"""Browser sessions for the review page: a signed HttpOnly cookie, and a CSRF token that every
state-changing request must repeat in a header.

The cookie carries the agency, the id of the key that signed in and the CSRF token, signed and
timed by itsdangerous under a secret kept in the data folder, so any replica of the service can
check it without a session table. The key id lets every request ask whether that key is still
valid: revoking a key ends its sessions at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from itsdangerous import BadData, URLSafeTimedSerializer

from ocr.output import create_once

CSRF_HEADER = "X-CSRF-Token"


@dataclass(frozen=True)
class Session:
    agency: str
    key_id: str  # the API key that signed in ("local" for `dossier review`'s link)
    csrf: str


class SessionSigner:
    """Issues and reads session cookies; `cookie` is their name. Cookies ignore ports, so each
    instance on a host needs its own name: a service's is derived from its secret (replicas
    sharing the data folder share it), a local `dossier review` names its port."""

    def __init__(self, secret: bytes, ttl_s: float = 8 * 3600, cookie: str | None = None):
        self.ttl_s = ttl_s
        self.cookie = cookie or f"dossier_session_{hashlib.sha256(secret).hexdigest()[:10]}"
        self._serializer = URLSafeTimedSerializer(secret, salt="dossier review session")

    @classmethod
    def stored(cls, secret_file: Path) -> SessionSigner:
        """With the secret kept in `secret_file` (made on first use): every replica signs alike."""
        return cls(create_once(secret_file, secrets.token_bytes(32)))

    def issue(self, agency: str, key_id: str) -> tuple[str, Session]:
        session = Session(agency, key_id, secrets.token_urlsafe(24))
        return self._serializer.dumps({"a": session.agency, "k": session.key_id, "c": session.csrf}), session

    def read(self, cookie: str | None) -> Session | None:
        """The session a cookie carries, if it is ours, unaltered and not expired."""
        if not cookie:
            return None
        try:
            data = self._serializer.loads(cookie, max_age=self.ttl_s)
            return Session(str(data["a"]), str(data["k"]), str(data["c"]))
        except (BadData, KeyError, TypeError):  # forged, expired, or signed before sessions named their key
            return None
