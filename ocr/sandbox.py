"""Worker processes for decoding untrusted files: a hostile or broken file kills only its worker.

Each worker is `python -m ocr.sandbox`, started with an address-space limit (which poppler's
pdftoppm, its child, inherits) and given a deadline per call. A worker that crashes, runs out of
memory or overruns is killed and replaced, and the caller gets a `SandboxError` saying which.
Calls are pickled function references and arguments over the worker's stdin and stdout, so the
worker never imports more than the function needs (no models, no Ray).
"""

from __future__ import annotations

import os
import pickle
import queue
import resource
import select
import signal
import subprocess
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO


@dataclass(frozen=True)
class Limits:
    memory_mb: int = 4096  # address space of a worker, its pdftoppm included
    seconds: float = 120.0  # one call (one page, one file's description)


class SandboxError(Exception):
    """The worker died or overran: the input it was decoding is to blame, not the caller."""


class CallFailed(Exception):
    """The called function raised; `error` is the exception as the worker raised it, where it
    could be pickled, and `detail` its one-line description."""

    def __init__(self, detail: str, error: BaseException | None):
        super().__init__(detail)
        self.detail, self.error = detail, error


class _Worker:
    def __init__(self, limits: Limits):
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        self.limits = limits
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ocr.sandbox", str(limits.memory_mb)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, start_new_session=True,
        )

    def call(self, fn: Callable, args: tuple) -> Any:
        try:
            pickle.dump((fn, args), self.proc.stdin)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise SandboxError(f"the decoding worker was gone ({exc})") from exc
        ready, _, _ = select.select([self.proc.stdout], [], [], self.limits.seconds)
        if not ready:
            self.kill()
            raise SandboxError(f"took longer than {self.limits.seconds:g} s (limit: DOSSIER_STAGE_SECONDS)")
        try:
            status, value = pickle.load(self.proc.stdout)
        except (EOFError, pickle.UnpicklingError, OSError) as exc:
            code = self.proc.wait(timeout=10)
            raise SandboxError(_death(code, self.limits)) from exc
        if status == "error":
            raise CallFailed(*value)
        return value

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        if self.alive:
            os.killpg(self.proc.pid, signal.SIGKILL)  # with its pdftoppm
        self.proc.wait()

    def close(self) -> None:
        if self.alive:
            self.proc.stdin.close()  # the worker's loop ends at end of input
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.kill()


def _death(code: int, limits: Limits) -> str:
    if code < 0:
        name = signal.Signals(-code).name
        return f"the decoding worker was killed ({name}); a file this large or broken needs more than {limits.memory_mb} MB (DOSSIER_WORKER_MEMORY_MB)"
    return f"the decoding worker died (exit {code}), most likely out of its {limits.memory_mb} MB (DOSSIER_WORKER_MEMORY_MB)"


class Sandbox:
    """A pool of worker processes; `call` may be used from many threads at once."""

    def __init__(self, workers: int, limits: Limits = Limits()):
        self.limits = limits
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        for _ in range(max(1, workers)):
            self._add()

    def _add(self) -> None:
        worker = _Worker(self.limits)
        self._all.append(worker)
        self._idle.put(worker)

    def call(self, fn: Callable, *args: Any) -> Any:
        worker = self._idle.get()
        try:
            return worker.call(fn, args)
        finally:
            if worker.alive:
                self._idle.put(worker)
            else:  # replaced, so the pool keeps its size
                self._all.remove(worker)
                self._add()

    def close(self) -> None:
        for worker in self._all:
            worker.close()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _serve(memory_mb: int, requests: BinaryIO, replies: BinaryIO) -> None:
    limit = memory_mb << 20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        try:
            fn, args = pickle.load(requests)
        except EOFError:
            return
        try:
            reply = ("ok", fn(*args))
        except MemoryError:
            raise SystemExit(3) from None  # out of memory: a clean death the parent explains
        except Exception as exc:  # the caller decides; the worker lives on
            detail = "".join(traceback.format_exception_only(exc)).strip()
            try:
                pickle.dumps(exc)
                reply = ("error", (detail, exc))
            except Exception:
                reply = ("error", (detail, None))
        pickle.dump(reply, replies)
        replies.flush()


if __name__ == "__main__":
    # replies go through a private copy of stdout; anything a library prints goes to stderr
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    _serve(int(sys.argv[1]), sys.stdin.buffer, replies)
