"""Prometheus metrics of the compile service, served at `/metrics` to the operator's token alone
(they show every agency's activity; `api.py`).

Two kinds, so that several API replicas (Ingress) add up:

- Job counts and queue depth are read from the job store when scraped: every replica reports the
  same totals, the database's (take `max`, never `sum`, over replicas).
- Pages, stage and job times and batch sizes are this replica's own, recorded where the work is
  observed (its worker and its proxies of the model deployments), for Prometheus to `sum` over
  replicas. Each `dossier serve --no-ray` process is scraped at its own /metrics. On Ray Serve
  the serve service hands /metrics to one Ingress replica at random, so there a replica records
  them with Ray's metrics API as well (`export_to_ray`), which each Ray node exports for every
  replica on it (port 8080, named `ray_dossier_*`).
"""

from __future__ import annotations

import threading
import time
from collections import deque

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

from compiler_service.store import STATES, JobStore

STAGE_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800)
# each batch size up to 16 in a bucket of its own (n - 0.5, n + 0.5]: Ray's export adds a histogram's
# observations up as the middles of their buckets, so its sums stay exact (mean batch sizes)
BATCH_BUCKETS = tuple(n + 0.5 for n in range(17)) + (32.5, 64.5, 128.5)
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


class _Histogram:
    """A per-replica histogram with one label, in this process's registry and, after
    `export_to_ray`, with Ray's metrics API too."""

    def __init__(self, name: str, documentation: str, label: str, buckets: tuple[float, ...], registry: CollectorRegistry):
        self.name, self.documentation, self.label, self.buckets = name, documentation, label, buckets
        self.local = Histogram(name, documentation, [label], buckets=buckets, registry=registry)
        self.ray = None

    def export_to_ray(self) -> None:
        from ray.util.metrics import Histogram as RayHistogram

        self.ray = RayHistogram(self.name, self.documentation, boundaries=list(self.buckets), tag_keys=(self.label,))

    def observe(self, label: str, value: float) -> None:
        self.local.labels(label).observe(value)
        if self.ray is not None:
            self.ray.observe(value, tags={self.label: label})


class ServiceMetrics:
    def __init__(self, store: JobStore):
        self.store = store
        self.registry = CollectorRegistry()
        self.registry.register(_StoreCollector(store))
        self._throughput = _Throughput()
        self.registry.register(self._throughput)
        self.pages = Counter("dossier_pages_compiled", "Source pages of finished jobs", registry=self.registry)
        self.stage_seconds = _Histogram("dossier_stage_seconds", "Time a job spent in each stage", "stage", STAGE_BUCKETS, self.registry)
        self.job_seconds = _Histogram("dossier_job_seconds", "Time from claiming a job to its end", "outcome", STAGE_BUCKETS, self.registry)
        self.batch_size = _Histogram("dossier_batch_size", "Items per call of a model deployment (pages, or jobs for the labeler)",
                                     "deployment", BATCH_BUCKETS, self.registry)
        self._ray_pages = None

    def export_to_ray(self) -> None:
        """In a Ray Serve replica: record this replica's own series with Ray's metrics API too, so
        that they are scraped from every replica (Ray's exporter on each node), not from whichever
        replica answers /metrics. Ray keeps a histogram's counts exact and its sum approximate (the
        middle of each observation's bucket); the pages-per-second gauge stays local (use `rate()`)."""
        from ray.util.metrics import Counter as RayCounter

        self._ray_pages = RayCounter("dossier_pages_compiled", "Source pages of finished jobs")
        for histogram in (self.stage_seconds, self.job_seconds, self.batch_size):
            histogram.export_to_ray()

    def job_finished(self, pages: int, timings: dict[str, float], seconds: float) -> None:
        self.pages.inc(pages)
        if self._ray_pages is not None and pages:  # Ray's counters take only increments above 0
            self._ray_pages.inc(pages)
        self._throughput.add(pages)
        for stage, spent in timings.items():
            if stage != "total":
                self.stage_seconds.observe(stage, spent)
        self.job_seconds.observe("done", seconds)

    def job_failed(self, seconds: float) -> None:
        self.job_seconds.observe("failed", seconds)

    def batch(self, deployment: str, size: int) -> None:
        """A call of a model deployment (`reader`, `labeler`) that carried `size` items."""
        self.batch_size.observe(deployment, size)

    def exposition(self) -> tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
