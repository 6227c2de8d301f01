"""Case files are evidence: what the service and the CLI write is for the account that runs them
alone (folders 0700, files 0600), and a job's uploaded scans are kept no longer than its dossier
needs them (`upload_retention_s` after it ends; the dossier itself holds every page)."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # not imported at run time: every command sets the umask, few open the store
    from compiler_service.store import JobStore

OWNER_ONLY = 0o077  # the umask: no group or other bits on anything created from now on


def owner_only(data_dir: Path | None = None) -> None:
    """From now on this process creates folders 0700 and files 0600, whatever the login's umask; the
    data folder is made, or closed to other accounts if an earlier version left it 0755 (everything
    in it is then out of their reach too)."""
    os.umask(OWNER_ONLY)
    if data_dir is None:
        return
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        data_dir.chmod(0o700)
    except PermissionError:  # a volume mounted there, owned by another account: its own permissions must protect it
        logging.getLogger(__name__).warning("%s belongs to another account and stays as it is: make sure no other account can "
                                            "read it (the files in it are created owner-only)", data_dir)


def tree_bytes(path: Path) -> int:
    """Bytes of the files under `path` (0 when it is gone), as an agency's quota counts them."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) if path.exists() else 0


def delete_uploads(jobs_dir: Path, store: JobStore, kept_s: float) -> int:
    """Delete the uploads of every job that ended more than `kept_s` ago; returns how many jobs'.
    Removed from disk first, marked in the store after: a crash between leaves a mark to do again,
    never scans on disk that the store says are gone."""
    ended = store.uploads_to_delete(kept_s)
    for job_id in ended:
        shutil.rmtree(jobs_dir / job_id / "uploads", ignore_errors=True)
        store.uploads_deleted(job_id)
    return len(ended)
