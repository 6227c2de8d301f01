"""Decoding workers: a call that eats memory, hangs or crashes costs one worker, never the caller,
and the pool goes on with a fresh one."""

import os
import time

import pytest

from ocr.sandbox import CallFailed, Limits, Sandbox, SandboxError


def hog(megabytes: int) -> int:
    return len(bytearray(megabytes << 20))


def pid() -> int:
    return os.getpid()


def crash() -> None:
    os._exit(9)


def fail() -> None:
    raise ValueError("a broken file")


def test_results_come_back_from_another_process():
    with Sandbox(2) as box:
        assert box.call(hog, 10) == 10 << 20
        assert box.call(pid) != os.getpid()


def test_a_call_over_the_memory_limit_kills_only_its_worker():
    with Sandbox(1, Limits(memory_mb=512)) as box:
        before = box.call(pid)
        with pytest.raises(SandboxError, match="512 MB"):
            box.call(hog, 2048)
        assert box.call(pid) != before  # replaced
        assert box.call(hog, 50) == 50 << 20


def test_a_call_past_its_deadline_is_killed():
    with Sandbox(1, Limits(seconds=1)) as box:
        start = time.perf_counter()
        with pytest.raises(SandboxError, match="longer than 1 s"):
            box.call(time.sleep, 30)
        assert time.perf_counter() - start < 10
        assert box.call(hog, 1) == 1 << 20


def test_a_crash_and_an_exception_are_told_apart():
    with Sandbox(1) as box:
        with pytest.raises(SandboxError, match="exit 9"):
            box.call(crash)
        with pytest.raises(CallFailed, match="ValueError: a broken file") as raised:
            box.call(fail)
        assert isinstance(raised.value.error, ValueError)
        assert box.call(hog, 1) == 1 << 20  # an exception leaves the worker alive
