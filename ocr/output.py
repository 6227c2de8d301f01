"""Result folders are written whole or not at all: a reader never sees a half-written dossier,
model or training case, and a failed run leaves an earlier result as it was."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """A fresh staging folder beside `target` to write into; on success it takes `target`'s
    place, on an error it is removed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # mkdtemp makes it owner-only (0700), and so it stays: a dossier is evidence, and whoever else
    # may read it is for the folder above to grant, not for every result to widen
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield staging
        _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, target: Path) -> None:
    """An earlier folder is removed only after the swap, and put back if the swap fails."""
    if not target.exists():
        staging.rename(target)
        return
    old = target.with_name(f".{target.name}.old-{time.time_ns()}")
    target.rename(old)
    try:
        staging.rename(target)
    except BaseException:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def create_once(path: Path, data: bytes) -> bytes:
    """Write `data` to `path` readable by its owner only, unless the file exists: then return what
    it holds. Written whole under another name and linked into place, so a process starting
    beside this one finds either nothing or the whole file, and two that race keep one."""
    if path.exists():
        return path.read_bytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.link(tmp, path)
    except FileExistsError:  # another process made it first: theirs stands
        return path.read_bytes()
    finally:
        os.unlink(tmp)
    return data
