"""The job's audit log: what happened, in order, each entry carrying the hash of the one before,
so an entry removed, inserted or edited afterwards breaks the chain (`audit.jsonl`).

Entries hold counts, names and hashes, never page text: the log is read by people who may not
see the evidence itself.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

GENESIS = "0" * 64  # the "previous hash" of the first entry


def entry_hash(entry: dict[str, Any]) -> str:
    """SHA-256 of the entry without its own hash, as canonical JSON."""
    body = {k: v for k, v in entry.items() if k != "hash"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


@dataclass
class AuditLog:
    entries: list[dict[str, Any]] = field(default_factory=list)

    @property
    def head(self) -> str:
        return self.entries[-1]["hash"] if self.entries else GENESIS

    def record(self, event: str, **details: Any) -> None:
        entry = {
            "seq": len(self.entries) + 1,
            "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            "event": event,
            "details": details,
            "prev": self.head,
        }
        entry["hash"] = entry_hash(entry)
        self.entries.append(entry)

    def write(self, path: Path) -> None:
        path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in self.entries), encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> AuditLog:
        return cls([json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()])

    def problems(self) -> list[str]:
        """Where the chain is broken: an entry edited, removed, inserted or reordered."""
        found = []
        prev = GENESIS
        for i, entry in enumerate(self.entries, 1):
            if entry.get("seq") != i or entry.get("prev") != prev:
                found.append(f"audit entry {i} ({entry.get('event')}): does not follow entry {i - 1} (removed, inserted or reordered)")
            if entry.get("hash") != entry_hash(entry):
                found.append(f"audit entry {i} ({entry.get('event')}): changed after it was written")
            prev = entry.get("hash", "")
        return found
