"""The job store on a real SQLite file and a real PostgreSQL server: keys, agency isolation,
idempotency, claims, leases."""

import threading
import time
import uuid

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from compiler_service.cli import app
from compiler_service.store import JobStore, KeyInFlight, KeyReused, Quota, QuotaExceeded


def test_a_key_names_its_agency_and_nothing_else_does(database_url):
    store = JobStore(database_url)
    key = store.create_key("深圳市公安局福田分局")
    assert store.agency_for(key) == "深圳市公安局福田分局"
    prefix, key_id, secret = key.split("_", 2)
    for wrong in ("", "Bearer x", f"dsk_{key_id}_{secret[:-1]}x", f"dsk_000000000000_{secret}", f"{prefix}_{key_id}"):
        assert store.agency_for(wrong) is None
    with store.engine.connect() as conn:  # only a digest is stored
        rows = conn.execute(text("SELECT * FROM api_keys")).all()
    assert len(rows) == 1 and secret not in repr(rows)


def test_an_agency_sees_only_its_own_jobs(database_url):
    store = JobStore(database_url)
    mine, _ = store.submit("A")
    theirs, _ = store.submit("B")
    assert store.get("A", mine.id).state == "queued"
    assert store.get("A", theirs.id) is None and not store.delete("A", theirs.id)
    assert [j.id for j in store.list("A")] == [mine.id]
    assert store.delete("B", theirs.id) and store.get("B", theirs.id) is None


def test_the_same_idempotency_key_gives_the_same_job(database_url):
    store = JobStore(database_url)
    first, created = store.submit("A", "upload-7")
    again, created_again = store.submit("A", "upload-7")
    other_agency, created_other = store.submit("B", "upload-7")
    assert created and not created_again and again.id == first.id
    assert created_other and other_agency.id != first.id


def test_a_held_idempotency_key_makes_one_job_and_only_from_the_same_files(database_url):
    store = JobStore(database_url)
    first, second, third = (str(uuid.uuid4()) for _ in range(3))
    assert store.hold_key("A", "case-9", first, hold_s=60)
    with pytest.raises(KeyInFlight):  # the first request's files are still arriving
        store.hold_key("A", "case-9", second, hold_s=60)
    with pytest.raises(KeyInFlight):
        store.submit("A", "case-9", second, "sha-of-files")
    job, created = store.submit("A", "case-9", first, "sha-of-files")
    assert created and job.id == first
    assert not store.hold_key("A", "case-9", second, hold_s=60)  # made: a retry gets the job ...
    assert store.submit("A", "case-9", second, "sha-of-files") == (job, False)
    with pytest.raises(KeyReused):  # ... unless it brings other files
        store.submit("A", "case-9", third, "sha-of-other-files")
    assert [j.id for j in store.list("A")] == [first]
    assert store.delete("A", first)  # the key goes with its job
    assert store.submit("A", "case-9", third, "sha-of-other-files")[1]


def test_a_hold_given_up_or_outlived_frees_the_key(database_url):
    store = JobStore(database_url)
    dead, dropped, retry = (str(uuid.uuid4()) for _ in range(3))
    assert store.hold_key("A", "k", dropped, hold_s=60)
    store.drop_key("A", "k", dropped)  # its upload was refused (too large)
    assert store.hold_key("A", "k", dead, hold_s=60)
    time.sleep(0.3)  # its process dies while the files arrive
    assert store.hold_key("A", "k", retry, hold_s=0.2)
    with pytest.raises(KeyInFlight):  # back from the dead, it no longer holds the key
        store.submit("A", "k", dead, "sha")
    assert store.submit("A", "k", retry, "sha")[0].id == retry


def test_a_job_id_that_is_no_uuid_is_no_job_on_either_database(database_url):
    store = JobStore(database_url)
    job, _ = store.submit("A")
    for wrong in ("x", "\x00", job.id + "\x00", job.id.upper(), "' OR 1=1 --"):
        assert store.get("A", wrong) is None and not store.delete("A", wrong)
    for wrong in ("dsk_\x00_x", "dsk_abc\x00_x", f"dsk_{'a' * 300}_x"):
        assert store.agency_for(wrong) is None
    assert store.get("A", job.id) == job


def test_each_queued_job_is_claimed_once_even_by_concurrent_workers(database_url):
    store = JobStore(database_url)
    submitted = {store.submit("A")[0].id for _ in range(20)}
    claimed, lock = [], threading.Lock()

    def worker():
        own = JobStore(database_url)
        while (job := own.claim("w", 60)) is not None:
            with lock:
                claimed.append(job.id)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(claimed) == sorted(submitted)


def test_a_job_whose_worker_stopped_renewing_is_queued_again_with_its_progress(database_url):
    store = JobStore(database_url)
    failed, _ = store.submit("A")
    cut_off, _ = store.submit("A")
    store.claim("alive", 60)
    store.claim("crashed", 0.5)
    assert store.report(cut_off.id, "crashed", "ocr", 3, 10)
    store.fail(failed.id, "alive", "scan.pdf page 3: unreadable")
    time.sleep(0.6)
    restarted = JobStore(database_url)  # the service process came back
    assert restarted.requeue_expired() == 1
    job = restarted.get("A", cut_off.id)
    assert (job.state, job.attempts, job.progress) == ("queued", 1, {"ocr": {"done": 3, "total": 10}})
    assert restarted.get("A", failed.id).error == "scan.pdf page 3: unreadable"
    assert restarted.claim("new", 60).id == cut_off.id
    # the crashed worker, back from the dead, can no longer report, renew or end the job
    assert not store.report(cut_off.id, "crashed", "ocr", 9, 10)
    assert store.renew("crashed", [cut_off.id], 60) == 0
    assert not store.finish(cut_off.id, "crashed")
    job = store.get("A", cut_off.id)
    assert (job.state, job.attempts, job.progress["ocr"]["done"]) == ("running", 2, 3)
    assert store.finish(cut_off.id, "new") and store.get("A", cut_off.id).state == "done"


def test_a_renewed_lease_keeps_the_job_with_its_worker(database_url):
    store = JobStore(database_url)
    job, _ = store.submit("A")
    store.claim("slow", 1.0)
    for _ in range(4):
        time.sleep(0.4)
        assert store.renew("slow", [job.id], 1.0) == 1
    assert store.claim("other", 60) is None and store.get("A", job.id).state == "running"


def test_a_job_cut_off_too_often_fails_instead_of_taking_every_worker_down(database_url):
    store = JobStore(database_url)
    job, _ = store.submit("A")
    for attempt in (1, 2):
        assert store.claim(f"worker-{attempt}", 0.01, max_attempts=2).id == job.id
        time.sleep(0.05)  # the worker dies with the job
    assert store.claim("worker-3", 60, max_attempts=2) is None
    ended = store.get("A", job.id)
    assert ended.state == "failed" and "cut off 2 times" in ended.error


def test_a_released_job_is_queued_at_once_and_the_attempt_does_not_count(database_url):
    store = JobStore(database_url)
    job, _ = store.submit("A")
    store.claim("stopping", 60)
    assert not store.release(job.id, "someone else")
    assert store.release(job.id, "stopping")
    again = store.claim("next", 60)
    assert (again.id, again.attempts) == (job.id, 1)


def test_listing_is_newest_first_and_paginated(database_url):
    store = JobStore(database_url)
    ids = [store.submit("A")[0].id for _ in range(5)]
    pages = store.list("A", 0, 2) + store.list("A", 2, 2) + store.list("A", 4, 2)
    assert [j.id for j in pages] == ids[::-1]


def test_keys_create_prints_the_key_on_its_last_line(tmp_path, monkeypatch):
    monkeypatch.setenv("DOSSIER_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(app, ["keys", "create", "--agency", "福田分局", "--person", "张三"])
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    assert JobStore(f"sqlite:///{tmp_path / 'data' / 'dossier.db'}").agency_for(key) == "福田分局"


def test_a_key_names_its_person_and_once_revoked_opens_nothing(database_url):
    store = JobStore(database_url)
    key, other = store.create_key("福田分局", " 张三 "), store.create_key("福田分局", "李四")
    key_id = key.split("_")[1]
    found = store.authenticate(key)
    assert (found.id, found.agency, found.person, found.holder) == (key_id, "福田分局", "张三", "张三")
    assert store.key_active(key_id) and not store.key_active("0" * 12) and not store.key_active("\x00")
    revoked = store.revoke_key(key_id)
    assert revoked.revoked is not None and revoked.person == "张三"  # kept: what was done with it still names its person
    assert store.authenticate(key) is None and store.agency_for(key) is None and not store.key_active(key_id)
    assert store.revoke_key(key_id).revoked == revoked.revoked  # revoking again changes nothing
    assert store.revoke_key("0" * 12) is None and store.revoke_key("x") is None
    assert store.agency_for(other) == "福田分局"  # the person's colleague keeps theirs
    assert [(k.person, k.revoked is None) for k in store.keys("福田分局")] == [("张三", False), ("李四", True)]
    for agency, person in (("", "张三"), ("福田分局", " "), ("福田分局", "张" * 201)):
        with pytest.raises(ValueError):
            store.create_key(agency, person)


def test_agencies_take_turns_at_the_queue(database_url):
    store = JobStore(database_url)
    busy = [store.submit("A")[0].id for _ in range(40)]
    one = store.submit("B")[0].id
    claimed = [store.claim("w", 60) for _ in range(4)]
    # B's single job waits for one of A's, not for all forty
    assert [j.id for j in claimed] == [busy[0], one, busy[1], busy[2]]
    later = store.submit("C")[0].id  # an agency never served goes next, then the least recently served
    b_again = store.submit("B")[0].id
    assert [store.claim("w", 60).id for _ in range(3)] == [later, b_again, busy[3]]


def test_quotas_bound_an_agencys_waiting_jobs_and_stored_bytes(database_url):
    store = JobStore(database_url)
    quota = Quota(jobs=2, bytes=1000)
    first, _ = store.submit("A", "k1", upload_bytes=300, quota=quota)
    store.submit("A", upload_bytes=300, quota=quota)
    with pytest.raises(QuotaExceeded) as refused:
        store.submit("A", upload_bytes=10, quota=quota)
    assert refused.value.retry_after_s > 0 and "2 dossiers queued or compiling" in str(refused.value)
    assert store.submit("A", "k1", quota=quota) == (first, False)  # a repeat of an accepted upload is no new job
    assert store.submit("B", upload_bytes=900, quota=quota)[1]  # another agency has its own
    claimed = store.claim("w", 60)
    assert claimed.agency == "A" and store.finish(claimed.id, "w", result_bytes=350)
    with pytest.raises(QuotaExceeded) as full:  # one slot free, but 300 + 300 + 350 + 100 bytes > 1000
        store.submit("A", upload_bytes=100, quota=quota)
    assert full.value.retry_after_s >= 3600 and "delete dossiers" in str(full.value)
    assert store.uploads_to_delete(0) == [claimed.id]
    store.uploads_deleted(claimed.id)  # its scans are gone from disk: 300 bytes free again
    assert store.uploads_to_delete(0) == []
    assert store.submit("A", upload_bytes=100, quota=quota)[1]
    assert len(store.list("A")) == 3


def test_uploads_racing_for_the_last_slot_of_a_quota_make_one_job(database_url):
    store = JobStore(database_url)
    store.submit("A", quota=Quota(jobs=3))
    store.submit("A", quota=Quota(jobs=3))
    made, refused, lock = [], [], threading.Lock()
    stores, start = [JobStore(database_url) for _ in range(6)], threading.Barrier(6)

    def upload(own):
        start.wait()
        try:
            job, _ = own.submit("A", quota=Quota(jobs=3))
            with lock:
                made.append(job.id)
        except QuotaExceeded:
            with lock:
                refused.append(1)

    threads = [threading.Thread(target=upload, args=(own,)) for own in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert (len(made), len(refused), len(store.list("A"))) == (1, 5, 3)
