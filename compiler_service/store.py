"""The service's durable state: agencies' API keys and compile jobs, in a real database through
SQLAlchemy (SQLite in the data folder by default, PostgreSQL by URL).

A job moves queued → running → done | failed. The store hands a queued job to exactly one worker
(`claim`) under a lease that the worker renews while it compiles; a running job whose lease ran
out (its worker crashed, or the service was restarted) is queued again, so none is silently lost
and none is taken from a worker that is still alive, however many replicas share the database. Every read takes the caller's agency: another agency's job is simply
not found. A done job records the last review saved in the review page (`reviewed`: when, by whom).

An Idempotency-Key is held from the moment its first request arrives until its job is made
(`hold_key`, then `submit`): a request with the same key meanwhile is told the first is still in
flight (`KeyInFlight`, 409); one after it gets the first job, or `KeyReused` (422) when its files
differ. One row per (agency, key) decides, so however many requests race, one job is made.

API keys are `dsk_<id>_<secret>`: the id finds the row, only a SHA-256 of the secret is stored
(the secret is 32 random bytes, so a slow password hash adds nothing). A key names the person who
uses it within its agency (named as the reviewer of what they correct) and can be revoked.

Agencies take turns: a worker claims the oldest job of the agency served least recently, so one
agency's forty queued jobs do not hold back another's one. An agency's jobs waiting or compiling and
the bytes its jobs keep are bounded by a `Quota` at submit (`QuotaExceeded`, 429).

The schema is made and upgraded by the Alembic migrations in `migrations/` when a store opens the
database: a database of an earlier version is upgraded in place.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from importlib import resources
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import (JSON, BigInteger, DateTime, Engine, Integer, String, Text, UniqueConstraint, create_engine, delete, event, func,
                        inspect, select, text, update)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.pool import NullPool

STATES = ("queued", "running", "done", "failed")
ENDED = ("done", "failed")
NAME_MAX = 200  # characters of an agency's or a person's name
BASELINE = "0001_aa8a8da"  # the revision of a database made before migrations
OFFSET_MAX = 2**31 - 1  # the furthest a job list pages: any agency's job count fits; both databases take it (a larger int overflows SQLite's)


class Base(DeclarativeBase):
    pass


class ApiKeyRow(Base):
    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    agency: Mapped[str] = mapped_column(String(200), index=True)
    person: Mapped[str | None] = mapped_column(String(200))  # who uses the key; None for keys made before keys named one
    secret_sha256: Mapped[str] = mapped_column(String(64))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


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
    updated: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # its last change: progress, its end, a review saved
    ended: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # done or failed: when (its uploads' retention counts from it)
    # the last review saved through the service's review page: when, and the person whose key saved it
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_by: Mapped[str | None] = mapped_column(String(NAME_MAX))
    # what the job keeps on disk, against its agency's quota: its uploads until they are deleted, its results
    upload_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    result_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    uploads_deleted: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AgencyRow(Base):
    """An agency's turn at the queue: the one served least recently is served next. Its row is also
    what its submits lock, so that they are counted against its quota one at a time."""

    __tablename__ = "agencies"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    served: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # when a worker last claimed one of its jobs


class IdempotencyKeyRow(Base):
    """An agency's Idempotency-Key and the job its first request makes; `received` stays empty
    while that request's files are still arriving."""

    __tablename__ = "idempotency_keys"

    agency: Mapped[str] = mapped_column(String(200), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    job_id: Mapped[str] = mapped_column(String(36))
    files_sha256: Mapped[str | None] = mapped_column(String(64))
    held: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class KeyInFlight(Exception):
    """The first request with this Idempotency-Key is still receiving its files: try again shortly."""


class KeyReused(Exception):
    """This Idempotency-Key already made a job from other files."""


@dataclass(frozen=True)
class Quota:
    """What one agency may hold at once; 0: no limit."""

    jobs: int = 0  # jobs queued or compiling
    bytes: int = 0  # bytes its jobs keep: uploads not yet deleted, and results


class QuotaExceeded(Exception):
    """The agency holds what its quota allows: no new job until some of it is done or deleted.
    `limit` names which: "jobs" (queued or compiling) or "bytes" (kept)."""

    def __init__(self, detail: str, retry_after_s: int, limit: str):
        super().__init__(detail)
        self.retry_after_s, self.limit = retry_after_s, limit


# when to try again: a queued job takes about a minute to compile; stored bytes go only when the
# agency deletes dossiers (or their uploads' retention ends), so a client should not wait for it
JOBS_RETRY_AFTER_S, BYTES_RETRY_AFTER_S = 60, 3600


@dataclass(frozen=True)
class ApiKey:
    """A key as `dossier keys list` shows it: never its secret."""

    id: str
    agency: str
    person: str | None
    created: datetime
    revoked: datetime | None

    @property
    def holder(self) -> str:
        """Who acts with the key, as a review records it: the person, or the agency for a key made
        before keys named one."""
        return self.person or self.agency


def _key(row: ApiKeyRow) -> ApiKey:
    return ApiKey(row.id, row.agency, row.person, _utc(row.created), row.revoked and _utc(row.revoked))


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
    reviewed_at: datetime | None = None
    reviewed_by: str | None = None


def _job(row: JobRow) -> Job:
    return Job(row.id, row.agency, row.state, row.attempts, dict(row.progress or {}), row.error, _utc(row.created), _utc(row.updated),
               row.reviewed_at and _utc(row.reviewed_at), row.reviewed_by)


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes: they were written in UTC
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _is_job_id(job_id: str) -> bool:
    # job ids are UUIDs: anything else is no job, and never reaches the database (PostgreSQL
    # refuses a NUL byte in a string with an error, where the answer is simply "not found")
    try:
        return str(uuid.UUID(job_id)) == job_id
    except ValueError:
        return False


def _is_key_id(key_id: str) -> bool:
    # only an id of the shape `create_key` makes is looked up (PostgreSQL refuses some strings, a NUL byte, with an error)
    return isinstance(key_id, str) and re.fullmatch(r"[0-9a-f]{1,16}", key_id) is not None


def _name(value: str | None, what: str) -> str:
    value = (value or "").strip()
    if not value or len(value) > NAME_MAX:
        raise ValueError(f"{what} is needed, of at most {NAME_MAX} characters")
    return value


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def migrate(url: str) -> None:
    """Bring the database at `url` to the schema this code uses, in one transaction that one process
    at a time runs (replicas starting together wait for the first, then find nothing to do). A
    database made before migrations (its tables, no alembic_version) is stamped as `BASELINE` first."""
    engine = create_engine(url, poolclass=NullPool)
    if engine.dialect.name == "sqlite":
        _sqlite_waits(engine)

        @event.listens_for(engine, "connect")
        def _own_transactions(conn, _) -> None:
            conn.isolation_level = None  # pysqlite's own transaction handling off: BEGIN is ours (SQLAlchemy's recipe)

        @event.listens_for(engine, "begin")
        def _write_lock(conn) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock from the start: the other migrators wait
    config = Config()
    config.set_main_option("script_location", str(resources.files("compiler_service") / "migrations"))
    try:
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('dossier migrations'))"))
            config.attributes["connection"] = conn
            tables = inspect(conn).get_table_names()
            if "alembic_version" not in tables and "jobs" in tables:
                command.stamp(config, BASELINE)
            command.upgrade(config, "head")
    finally:
        engine.dispose()


def _sqlite_waits(engine: Engine) -> None:
    # several processes (service, CLI, workers) share the file: wait for locks, don't fail
    event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA busy_timeout = 30000"))


def _owner_only_file(engine: Engine) -> None:
    """A SQLite database (and so its journal, which takes the database's mode) readable by this account
    only, also when an earlier version made it 0644."""
    path = engine.url.database
    if engine.dialect.name == "sqlite" and path and path != ":memory:" and not path.startswith("file:"):
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        os.chmod(path, 0o600)


class JobStore:
    def __init__(self, url: str):
        self.url = url
        self.engine = create_engine(url)
        if self.engine.dialect.name == "sqlite":
            _sqlite_waits(self.engine)
        _owner_only_file(self.engine)
        migrate(url)

    def ping(self) -> None:
        """Raises unless the database answers."""
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    # ---- API keys --------------------------------------------------------------------------------

    def create_key(self, agency: str, person: str | None = None) -> str:
        """A new key for `person` of `agency`; only its digest is kept, so this is the one time it is seen."""
        agency = _name(agency, "an agency name")
        person = None if person is None else _name(person, "a person's name")
        key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
        with Session(self.engine) as s, s.begin():
            s.add(ApiKeyRow(id=key_id, agency=agency, person=person, secret_sha256=_digest(secret), created=_now()))
        return f"dsk_{key_id}_{secret}"

    def authenticate(self, key: str) -> ApiKey | None:
        """The active key a presented one is, or None for anything else (unknown, wrong, revoked)."""
        parts = key.split("_", 2) if key else []
        if len(parts) != 3 or parts[0] != "dsk" or not _is_key_id(parts[1]) or not parts[2].isascii():
            return None
        with Session(self.engine) as s:
            row = s.get(ApiKeyRow, parts[1])
            if row is None or row.revoked is not None or not hmac.compare_digest(row.secret_sha256, _digest(parts[2])):
                return None
            return _key(row)

    def agency_for(self, key: str) -> str | None:
        """The agency of a presented key while it is active, or None for anything else."""
        found = self.authenticate(key)
        return found.agency if found else None

    def key(self, key_id: str) -> ApiKey | None:
        if not _is_key_id(key_id):
            return None
        with Session(self.engine) as s:
            row = s.get(ApiKeyRow, key_id)
            return _key(row) if row is not None else None

    def key_active(self, key_id: str) -> bool:
        """Whether the key `key_id` still exists and is not revoked: a session signed in with it
        asks at every request, so a revoked key ends its sessions at once."""
        found = self.key(key_id)
        return found is not None and found.revoked is None

    def keys(self, agency: str | None = None) -> list[ApiKey]:
        """Every key (of `agency`), by agency, then oldest first."""
        with Session(self.engine) as s:
            query = select(ApiKeyRow).order_by(ApiKeyRow.agency, ApiKeyRow.created, ApiKeyRow.id)
            return [_key(r) for r in s.scalars(query if agency is None else query.where(ApiKeyRow.agency == agency))]

    def revoke_key(self, key_id: str) -> ApiKey | None:
        """Revoke the key at once, for its API calls and its review sessions; None when there is no such
        key. Its row stays, so that what was done with it can still be traced to its person."""
        if not _is_key_id(key_id):
            return None
        with Session(self.engine) as s, s.begin():
            s.execute(update(ApiKeyRow).where(ApiKeyRow.id == key_id, ApiKeyRow.revoked.is_(None)).values(revoked=_now()))
            row = s.get(ApiKeyRow, key_id)
            return _key(row) if row is not None else None

    def _lock_agency(self, s: Session, agency: str, **values: Any) -> None:
        """Make (or update) the agency's row: on PostgreSQL its row stays locked, on SQLite the whole
        database, until the transaction ends."""
        insert = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}[self.engine.dialect.name]
        s.execute(insert(AgencyRow).values(name=agency, **values)
                  .on_conflict_do_update(index_elements=[AgencyRow.name], set_=values or {"name": agency}))

    # ---- jobs ------------------------------------------------------------------------------------

    def hold_key(self, agency: str, key: str, job_id: str, hold_s: float | None) -> bool:
        """Hold `key` for the request that is to make job `job_id`, while its files arrive: True
        when held (`submit` ends the hold, `drop_key` gives it up); False when an earlier request
        with the key has made its job (`submit` answers with that one). `KeyInFlight` while an
        earlier request holds it, unless it has held it longer than `hold_s` (its process died; None:
        never taken over)."""
        for _ in range(3):
            now = _now()
            try:
                with Session(self.engine) as s, s.begin():
                    row = s.get(IdempotencyKeyRow, (agency, key))
                    if row is None:
                        s.add(IdempotencyKeyRow(agency=agency, key=key, job_id=job_id, held=now))
                        return True  # unless another request inserts it first: the commit fails
                    if row.received is not None or row.job_id == job_id:
                        return row.received is None  # made its job already; or ours already
                    # a hold past its time is taken over, by one request only: the update that still finds it
                    if hold_s is not None and _utc(row.held) < now - timedelta(seconds=hold_s) and s.execute(
                            update(IdempotencyKeyRow).where(IdempotencyKeyRow.agency == agency, IdempotencyKeyRow.key == key,
                                                            IdempotencyKeyRow.job_id == row.job_id, IdempotencyKeyRow.received.is_(None))
                            .values(job_id=job_id, held=now)).rowcount == 1:
                        return True
                    raise KeyInFlight(key)
            except IntegrityError:
                continue  # another request's row came first: look again
        raise KeyInFlight(key)

    def drop_key(self, agency: str, key: str, job_id: str) -> None:
        """The request holding `key` for `job_id` failed before making its job: the key is free again."""
        with Session(self.engine) as s, s.begin():
            s.execute(delete(IdempotencyKeyRow).where(IdempotencyKeyRow.agency == agency, IdempotencyKeyRow.key == key,
                                                      IdempotencyKeyRow.job_id == job_id, IdempotencyKeyRow.received.is_(None)))

    def submit(self, agency: str, idempotency_key: str | None = None, job_id: str | None = None,
               files_sha256: str | None = None, upload_bytes: int = 0, quota: Quota | None = None) -> tuple[Job, bool]:
        """A new queued job (with `job_id` when the caller has already stored its inputs, of
        `upload_bytes`, under it), or the agency's existing one for the same idempotency key (and
        False: nothing new was created); `KeyReused` when that one was made from other files
        (`files_sha256`); `QuotaExceeded` when a new job would take the agency past its `quota`."""
        job_id, idempotency_key = job_id or str(uuid.uuid4()), idempotency_key or None
        if idempotency_key:
            self.hold_key(agency, idempotency_key, job_id, hold_s=None)  # a no-op when the caller holds it
        with Session(self.engine) as s, s.begin():
            now = _now()
            if idempotency_key:
                held = s.get(IdempotencyKeyRow, (agency, idempotency_key))
                if held is None or held.received is None and held.job_id != job_id:
                    raise KeyInFlight(idempotency_key)  # our hold was taken over: it had outlived its time
                if held.job_id != job_id:  # an earlier request made the job
                    if held.files_sha256 != files_sha256:
                        raise KeyReused(idempotency_key)
                    earlier = s.get(JobRow, held.job_id)
                    if earlier is None:  # deleted this instant, its key with it: free again at the next try
                        raise KeyInFlight(idempotency_key)
                    return _job(earlier), False
                # a job made with the key before keys were held here keeps it
                earlier = s.scalar(select(JobRow).where(JobRow.agency == agency, JobRow.idempotency_key == idempotency_key))
                if s.execute(update(IdempotencyKeyRow).where(
                        IdempotencyKeyRow.agency == agency, IdempotencyKeyRow.key == idempotency_key,
                        IdempotencyKeyRow.job_id == job_id, IdempotencyKeyRow.received.is_(None))
                        .values(job_id=earlier.id if earlier else job_id, files_sha256=files_sha256, received=now)).rowcount != 1:
                    raise KeyInFlight(idempotency_key)
                if earlier is not None:
                    return _job(earlier), False
            if quota is not None:
                self._within(s, agency, upload_bytes, quota)
            row = JobRow(id=job_id, agency=agency, idempotency_key=idempotency_key, state="queued",
                         attempts=0, progress={}, error=None, created=now, updated=now, upload_bytes=upload_bytes)
            s.add(row)
            s.flush()
            return _job(row), True

    def _within(self, s: Session, agency: str, upload_bytes: int, quota: Quota) -> None:
        """Raises QuotaExceeded unless the agency may add a job of `upload_bytes`; its row locked
        first, so that uploads arriving together are counted one after the other."""
        self._lock_agency(s, agency)
        waiting, stored = s.execute(select(func.count().filter(JobRow.state.in_(("queued", "running"))),
                                           func.coalesce(func.sum(JobRow.upload_bytes + JobRow.result_bytes), 0))
                                    .where(JobRow.agency == agency)).one()
        if quota.jobs and waiting >= quota.jobs:
            raise QuotaExceeded(f"this agency has {waiting} dossiers queued or compiling, as many as its quota allows; "
                                "upload again when one is done", JOBS_RETRY_AFTER_S, "jobs")
        if quota.bytes and stored + upload_bytes > quota.bytes:
            raise QuotaExceeded(f"this agency's dossiers keep {stored} bytes, and this upload of {upload_bytes} would pass its quota "
                                f"of {quota.bytes}; delete dossiers it no longer needs (DELETE /v1/dossiers/ID)", BYTES_RETRY_AFTER_S, "bytes")

    def get(self, agency: str, job_id: str) -> Job | None:
        if not _is_job_id(job_id):
            return None
        with Session(self.engine) as s:
            row = s.get(JobRow, job_id)
            return _job(row) if row is not None and row.agency == agency else None

    def list(self, agency: str, offset: int = 0, limit: int = 50, state: str | None = None) -> list[Job]:
        """The agency's jobs (in one state, if given), newest first."""
        with Session(self.engine) as s:
            rows = s.scalars(self._listed(select(JobRow), agency, state).order_by(JobRow.created.desc(), JobRow.id).offset(offset).limit(limit))
            return [_job(r) for r in rows]

    def count(self, agency: str, state: str | None = None) -> int:
        """How many jobs `list` pages through."""
        with Session(self.engine) as s:
            return s.scalar(self._listed(select(func.count()).select_from(JobRow), agency, state)) or 0

    @staticmethod
    def _listed(query, agency: str, state: str | None):
        query = query.where(JobRow.agency == agency)
        return query.where(JobRow.state == state) if state else query

    def delete(self, agency: str, job_id: str) -> bool:
        """The job, and its Idempotency-Key with it: the key may make a new job."""
        if not _is_job_id(job_id):
            return False
        with Session(self.engine) as s, s.begin():
            row = s.get(JobRow, job_id)
            if row is None or row.agency != agency:
                return False
            s.delete(row)
            s.execute(delete(IdempotencyKeyRow).where(IdempotencyKeyRow.agency == agency, IdempotencyKeyRow.job_id == job_id))
            return True

    def count_by_state(self) -> dict[str, int]:
        """Jobs of all agencies by state (for the service's metrics)."""
        with Session(self.engine) as s:
            return dict(s.execute(select(JobRow.state, func.count()).group_by(JobRow.state)).all())

    def claim(self, owner: str, lease_s: float, max_attempts: int | None = None) -> Job | None:
        """A queued job, now running for `owner` alone until its lease runs out: the oldest job of
        the agency served least recently (agencies take turns; one never served goes first)."""
        self.requeue_expired(max_attempts)
        with Session(self.engine) as s, s.begin():
            while True:
                found = s.execute(select(JobRow.id, JobRow.agency).outerjoin(AgencyRow, AgencyRow.name == JobRow.agency)
                                  .where(JobRow.state == "queued")
                                  .order_by(AgencyRow.served.asc().nulls_first(), JobRow.created, JobRow.id).limit(1)).first()
                if found is None:
                    return None
                # only one claimant's conditional update finds the job still queued
                now = _now()
                done = s.execute(update(JobRow).where(JobRow.id == found.id, JobRow.state == "queued").values(
                    state="running", attempts=JobRow.attempts + 1, owner=owner, lease_until=now + timedelta(seconds=lease_s), updated=now))
                if done.rowcount == 1:
                    self._lock_agency(s, found.agency, served=now)
                    return _job(s.get(JobRow, found.id))

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
                now = _now()
                s.execute(update(JobRow).where(expired, JobRow.attempts >= max_attempts).values(
                    state="failed", owner=None, lease_until=None, updated=now, ended=now,
                    error=f"the compile was cut off {max_attempts} times (its worker crashed or was stopped each time); not tried again"))
            return s.execute(update(JobRow).where(expired).values(state="queued", owner=None, lease_until=None, updated=_now())).rowcount

    def report(self, job_id: str, owner: str, stage: str, done: int, total: int) -> bool:
        """Record progress; False when the job is no longer `owner`'s."""
        with Session(self.engine) as s, s.begin():
            # locked while checked and written: a replica re-queueing the job (its lease ran out) meanwhile
            # would otherwise see its new attempt's progress overwritten by this stale one
            row = s.get(JobRow, job_id, with_for_update=True)
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

    def finish(self, job_id: str, owner: str, result_bytes: int = 0) -> bool:
        """The job is done, its results (of `result_bytes`) in place."""
        return self._end(job_id, owner, "done", None, result_bytes)

    def fail(self, job_id: str, owner: str, error: str) -> bool:
        return self._end(job_id, owner, "failed", error, 0)

    def _end(self, job_id: str, owner: str, state: str, error: str | None, result_bytes: int) -> bool:
        """False when the job is no longer `owner`'s (its lease ran out and it was queued again)."""
        with Session(self.engine) as s, s.begin():
            now = _now()
            return s.execute(update(JobRow).where(JobRow.id == job_id, JobRow.owner == owner, JobRow.state == "running")
                             .values(state=state, error=error, owner=None, lease_until=None, updated=now, ended=now,
                                     result_bytes=result_bytes)).rowcount == 1

    def reviewed(self, agency: str, job_id: str, by: str) -> bool:
        """A review of the agency's done job was saved just now by `by` (the dossier changed: so does
        the job); False when there is no such done job (deleted meanwhile)."""
        if not _is_job_id(job_id):
            return False
        with Session(self.engine) as s, s.begin():
            now = _now()
            return s.execute(update(JobRow).where(JobRow.id == job_id, JobRow.agency == agency, JobRow.state == "done")
                             .values(updated=now, reviewed_at=now, reviewed_by=by[:NAME_MAX])).rowcount == 1

    def uploads_to_delete(self, kept_s: float) -> list[str]:
        """The jobs that ended more than `kept_s` ago and whose uploads are still on disk."""
        with Session(self.engine) as s:
            return list(s.scalars(select(JobRow.id).where(JobRow.state.in_(ENDED), JobRow.uploads_deleted.is_(None),
                                                          JobRow.ended <= _now() - timedelta(seconds=kept_s))))

    def uploads_deleted(self, job_id: str) -> None:
        """The job's uploads are gone from disk: they no longer count against its agency's quota."""
        with Session(self.engine) as s, s.begin():
            s.execute(update(JobRow).where(JobRow.id == job_id).values(upload_bytes=0, uploads_deleted=_now()))
