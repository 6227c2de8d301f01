"""The service's durable state: agencies' API keys and compile jobs, in a real database through
SQLAlchemy (SQLite in the data folder by default, PostgreSQL by URL).

A job moves queued → running → done | failed. The store hands a queued job to exactly one worker
(`claim`) under a lease that the worker renews while it compiles; a running job whose lease ran
out (its worker crashed, or the service was restarted) is queued again, so none is silently lost
and none is taken from a worker that is still alive, however many replicas share the database. Every read takes the caller's agency: another agency's job is simply
not found.

API keys are `dsk_<id>_<secret>`: the id finds the row, only a SHA-256 of the secret is stored
(the secret is 32 random bytes, so a slow password hash adds nothing).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, Text, UniqueConstraint, create_engine, event, func, select, text, update
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

STATES = ("queued", "running", "done", "failed")


class Base(DeclarativeBase):
    pass


class ApiKeyRow(Base):
    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    agency: Mapped[str] = mapped_column(String(200), index=True)
    secret_sha256: Mapped[str] = mapped_column(String(64))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class JobRow(Base):
    __tablename__ = "jobs"
    __table_args__ = (UniqueConstraint("agency", "idempotency_key"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    agency: Mapped[str] = mapped_column(String(200), index=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    progress: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(100))  # the worker running it
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    updated: Mapped[datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class Job:
    id: str
    agency: str
    state: str
    attempts: int
    progress: dict[str, Any]  # stage → {"done": n, "total": m}
    error: str | None
    created: datetime
    updated: datetime


def _job(row: JobRow) -> Job:
    return Job(row.id, row.agency, row.state, row.attempts, dict(row.progress or {}), row.error, _utc(row.created), _utc(row.updated))


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes: they were written in UTC
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


class JobStore:
    def __init__(self, url: str):
        self.url = url
        self.engine = create_engine(url)
        if self.engine.dialect.name == "sqlite":
            # several processes (service, CLI, workers) share the file: wait for locks, don't fail
            event.listen(self.engine, "connect", lambda conn, _: conn.execute("PRAGMA busy_timeout = 30000"))
        Base.metadata.create_all(self.engine)

    def ping(self) -> None:
        """Raises unless the database answers."""
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    # ---- API keys --------------------------------------------------------------------------------

    def create_key(self, agency: str) -> str:
        """A new key for `agency`; only its digest is kept, so this is the one time it is seen."""
        agency = agency.strip()
        if not agency:
            raise ValueError("an agency name is needed")
        key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
        with Session(self.engine) as s, s.begin():
            s.add(ApiKeyRow(id=key_id, agency=agency, secret_sha256=_digest(secret), created=_now()))
        return f"dsk_{key_id}_{secret}"

    def agency_for(self, key: str) -> str | None:
        """The agency a presented key belongs to, or None for anything else."""
        parts = key.split("_", 2) if key else []
        if len(parts) != 3 or parts[0] != "dsk" or not parts[2].isascii():
            return None
        with Session(self.engine) as s:
            row = s.get(ApiKeyRow, parts[1])
            if row is None or not hmac.compare_digest(row.secret_sha256, _digest(parts[2])):
                return None
            return row.agency

    # ---- jobs ------------------------------------------------------------------------------------

    def submit(self, agency: str, idempotency_key: str | None = None, job_id: str | None = None) -> tuple[Job, bool]:
        """A new queued job (with `job_id` when the caller has already stored its inputs under
        it), or the agency's existing one for the same idempotency key (and False: nothing new
        was created)."""
        with Session(self.engine) as s, s.begin():
            if idempotency_key:
                row = s.scalar(select(JobRow).where(JobRow.agency == agency, JobRow.idempotency_key == idempotency_key))
                if row is not None:
                    return _job(row), False
            now = _now()
            row = JobRow(id=job_id or str(uuid.uuid4()), agency=agency, idempotency_key=idempotency_key, state="queued",
                         attempts=0, progress={}, error=None, created=now, updated=now)
            s.add(row)
            s.flush()
            return _job(row), True

    def get(self, agency: str, job_id: str) -> Job | None:
        with Session(self.engine) as s:
            row = s.get(JobRow, job_id)
            return _job(row) if row is not None and row.agency == agency else None

    def list(self, agency: str, offset: int = 0, limit: int = 50) -> list[Job]:
        """The agency's jobs, newest first."""
        with Session(self.engine) as s:
            rows = s.scalars(select(JobRow).where(JobRow.agency == agency).order_by(JobRow.created.desc(), JobRow.id)
                             .offset(offset).limit(limit))
            return [_job(r) for r in rows]

    def delete(self, agency: str, job_id: str) -> bool:
        with Session(self.engine) as s, s.begin():
            row = s.get(JobRow, job_id)
            if row is None or row.agency != agency:
                return False
            s.delete(row)
            return True

    def count_by_state(self) -> dict[str, int]:
        """Jobs of all agencies by state (for the service's metrics)."""
        with Session(self.engine) as s:
            return dict(s.execute(select(JobRow.state, func.count()).group_by(JobRow.state)).all())

    def claim(self, owner: str, lease_s: float, max_attempts: int | None = None) -> Job | None:
        """The oldest queued job, now running for `owner` alone until its lease runs out."""
        self.requeue_expired(max_attempts)
        with Session(self.engine) as s, s.begin():
            while True:
                job_id = s.scalar(select(JobRow.id).where(JobRow.state == "queued").order_by(JobRow.created, JobRow.id).limit(1))
                if job_id is None:
                    return None
                # only one claimant's conditional update finds the job still queued
                now = _now()
                done = s.execute(update(JobRow).where(JobRow.id == job_id, JobRow.state == "queued").values(
                    state="running", attempts=JobRow.attempts + 1, owner=owner, lease_until=now + timedelta(seconds=lease_s), updated=now))
                if done.rowcount == 1:
                    return _job(s.get(JobRow, job_id))

    def renew(self, owner: str, job_ids: list[str], lease_s: float) -> int:
        """`owner` is alive and compiling `job_ids`: extend their leases."""
        if not job_ids:
            return 0
        with Session(self.engine) as s, s.begin():
            return s.execute(update(JobRow).where(JobRow.owner == owner, JobRow.state == "running", JobRow.id.in_(job_ids))
                             .values(lease_until=_now() + timedelta(seconds=lease_s))).rowcount

    def requeue_expired(self, max_attempts: int | None = None) -> int:
        """Running jobs whose worker stopped renewing (a crash, a restart) go back in the queue;
        one that has already been cut off `max_attempts` times fails instead, so a file that
        kills its worker cannot take every replica down in turn."""
        expired = (JobRow.state == "running") & (JobRow.lease_until.is_(None) | (JobRow.lease_until < _now()))
        with Session(self.engine) as s, s.begin():
            if max_attempts is not None:
                s.execute(update(JobRow).where(expired, JobRow.attempts >= max_attempts).values(
                    state="failed", owner=None, lease_until=None, updated=_now(),
                    error=f"the compile was cut off {max_attempts} times (its worker crashed or was stopped each time); not tried again"))
            return s.execute(update(JobRow).where(expired).values(state="queued", owner=None, lease_until=None, updated=_now())).rowcount

    def report(self, job_id: str, owner: str, stage: str, done: int, total: int) -> bool:
        """Record progress; False when the job is no longer `owner`'s."""
        with Session(self.engine) as s, s.begin():
            row = s.get(JobRow, job_id)
            if row is None or row.owner != owner or row.state != "running":
                return False
            row.progress = {**(row.progress or {}), stage: {"done": done, "total": total}}
            row.updated = _now()
            return True

    def release(self, job_id: str, owner: str) -> bool:
        """`owner` could not finish the job for reasons of its own (shutting down, a stage
        unavailable): it goes back in the queue at once, and the attempt does not count."""
        with Session(self.engine) as s, s.begin():
            return s.execute(update(JobRow).where(JobRow.id == job_id, JobRow.owner == owner, JobRow.state == "running")
                             .values(state="queued", owner=None, lease_until=None, attempts=JobRow.attempts - 1, updated=_now())).rowcount == 1

    def finish(self, job_id: str, owner: str) -> bool:
        return self._end(job_id, owner, "done", None)

    def fail(self, job_id: str, owner: str, error: str) -> bool:
        return self._end(job_id, owner, "failed", error)

    def _end(self, job_id: str, owner: str, state: str, error: str | None) -> bool:
        """False when the job is no longer `owner`'s (its lease ran out and it was queued again)."""
        with Session(self.engine) as s, s.begin():
            return s.execute(update(JobRow).where(JobRow.id == job_id, JobRow.owner == owner, JobRow.state == "running")
                             .values(state=state, error=error, owner=None, lease_until=None, updated=_now())).rowcount == 1
