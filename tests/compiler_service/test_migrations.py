"""The job database's schema comes from Alembic migrations: a database the service made at aa8a8da
(before migrations, with that version's own code) upgrades in place, on SQLite and PostgreSQL."""

import importlib.util
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from compiler_service.store import Base, JobStore, Quota

ROOT = Path(__file__).resolve().parents[2]


def _head() -> str:
    config = Config()
    config.set_main_option("script_location", str(ROOT / "compiler_service" / "migrations"))
    return ScriptDirectory.from_config(config).get_current_head()


def _revision(url: str) -> str | None:
    engine = create_engine(url)
    with engine.connect() as conn:
        revision = MigrationContext.configure(conn).get_current_revision()
    engine.dispose()
    return revision


@pytest.fixture(scope="module")
def store_of_aa8a8da(tmp_path_factory):
    """compiler_service/store.py as it was at aa8a8da, imported from git: the code that made the
    databases now in use."""
    source = tmp_path_factory.mktemp("aa8a8da") / "store_aa8a8da.py"
    try:
        source.write_bytes(subprocess.run(["git", "show", "aa8a8da:compiler_service/store.py"], cwd=ROOT, capture_output=True,
                                          check=True).stdout)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("no git history here to take aa8a8da's store from")
    spec = importlib.util.spec_from_file_location("store_aa8a8da", source)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # SQLAlchemy reads the models' annotations in their module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def test_a_database_made_at_aa8a8da_upgrades_in_place(database_url, store_of_aa8a8da):
    old = store_of_aa8a8da.JobStore(database_url)
    key = old.create_key("福田分局")
    done, _ = old.submit("福田分局", "case-1")
    queued, _ = old.submit("福田分局")
    assert old.claim("old-worker", 60).id == done.id and old.finish(done.id, "old-worker")
    old.engine.dispose()
    assert _revision(database_url) is None  # no migrations then

    store = JobStore(database_url)  # the new version opens the same database
    assert _revision(database_url) == _head()
    found = store.authenticate(key)  # the agency's key still works; it names no person, so reviews name the agency
    assert (found.agency, found.person, found.holder) == ("福田分局", None, "福田分局")
    assert {j.id: j.state for j in store.list("福田分局")} == {done.id: "done", queued.id: "queued"}
    assert store.submit("福田分局", "case-1") == (store.get("福田分局", done.id), False)  # its Idempotency-Key holds
    assert store.uploads_to_delete(0) == [done.id]  # the old done job's scans are deleted as any ended job's are
    assert (store.get("福田分局", done.id).reviewed_at, store.get("福田分局", done.id).reviewed_by) == (None, None)
    # it ended two hours ago; a review saved now changes the job, not when its scans' retention ends
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE jobs SET ended = :t, updated = :t WHERE id = :id"),
                     {"t": datetime.now(timezone.utc) - timedelta(hours=2), "id": done.id})
    engine.dispose()
    assert store.reviewed("福田分局", done.id, "张三") and not store.reviewed("南山分局", done.id, "李四")
    job = store.get("福田分局", done.id)
    assert job.reviewed_by == "张三" and job.reviewed_at == job.updated > datetime.now(timezone.utc) - timedelta(minutes=1)
    assert store.uploads_to_delete(3600) == [done.id]
    assert store.claim("new-worker", 60).id == queued.id
    assert store.submit("福田分局", quota=Quota(jobs=2, bytes=10))[1]
    store.revoke_key(found.id)
    assert store.agency_for(key) is None
    JobStore(database_url)  # and opening it again finds nothing to do
    assert _revision(database_url) == _head()


def test_the_migrations_make_the_schema_the_code_declares(database_url):
    JobStore(database_url)
    engine = create_engine(database_url)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        assert set(inspect(conn).get_table_names()) == set(Base.metadata.tables) | {"alembic_version"}
    engine.dispose()


def test_stores_opening_a_new_database_together_migrate_it_once(database_url):
    errors, start = [], threading.Barrier(4)

    def open_store():
        start.wait()
        try:
            JobStore(database_url)
        except Exception as exc:  # noqa: BLE001 - any error is the finding
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    engine = create_engine(database_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [_head()]
    engine.dispose()
