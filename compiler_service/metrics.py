"""Prometheus metrics of the compile service, served at `/metrics`.

Job counts and queue depth are read from the job store when scraped, so every API replica
reports the same truth; latencies, throughput and batch sizes are recorded where the work is
observed (the worker and the proxies of the model deployments) in this process's registry.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

from compiler_service.store import STATES, JobStore

STAGE_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256)
THROUGHPUT_WINDOW_S = 60.0


class _StoreCollector:
    """Jobs by state and the queue depth, straight from the database at scrape time."""

    def __init__(self, store: JobStore):
        self.store = store

    def collect(self):
        counts = self.store.count_by_state()
        jobs = GaugeMetricFamily("dossier_jobs", "Compile jobs by state", labels=["state"])
        for state in STATES:
            jobs.add_metric([state], counts.get(state, 0))
        yield jobs
        yield GaugeMetricFamily("dossier_queue_depth", "Jobs waiting for a worker", value=counts.get("queued", 0))


class _Throughput:
    """Pages compiled per second over the last minute (a gauge for dashboards without PromQL)."""

    def __init__(self) -> None:
        self._events: deque[tuple[float, int]] = deque()
        self._lock = threading.Lock()

    def add(self, pages: int) -> None:
        with self._lock:
            self._events.append((time.monotonic(), pages))

    def collect(self):
        now = time.monotonic()
        with self._lock:
            while self._events and self._events[0][0] < now - THROUGHPUT_WINDOW_S:
                self._events.popleft()
            pages = sum(n for _, n in self._events)
        yield GaugeMetricFamily("dossier_pages_per_second", f"Pages compiled per second over the last {THROUGHPUT_WINDOW_S:.0f} s",
                                value=pages / THROUGHPUT_WINDOW_S)


class ServiceMetrics:
    def __init__(self, store: JobStore):
        self.store = store
        self.registry = CollectorRegistry()
        self.registry.register(_StoreCollector(store))
        self._throughput = _Throughput()
        self.registry.register(self._throughput)
        self.pages = Counter("dossier_pages_compiled", "Source pages of finished jobs", registry=self.registry)
        self.stage_seconds = Histogram("dossier_stage_seconds", "Time a job spent in each stage", ["stage"],
                                       buckets=STAGE_BUCKETS, registry=self.registry)
        self.job_seconds = Histogram("dossier_job_seconds", "Time from claiming a job to its end", ["outcome"],
                                     buckets=STAGE_BUCKETS, registry=self.registry)
        self.batch_size = Histogram("dossier_batch_size", "Items per call of a model deployment (pages, or jobs for the labeler)",
                                    ["deployment"], buckets=BATCH_BUCKETS, registry=self.registry)

    def job_finished(self, pages: int, timings: dict[str, float], seconds: float) -> None:
        self.pages.inc(pages)
        self._throughput.add(pages)
        for stage, spent in timings.items():
            if stage != "total":
                self.stage_seconds.labels(stage).observe(spent)
        self.job_seconds.labels("done").observe(seconds)

    def job_failed(self, seconds: float) -> None:
        self.job_seconds.labels("failed").observe(seconds)

    def exposition(self) -> tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
