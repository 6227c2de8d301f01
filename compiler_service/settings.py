"""One settings object for the whole compiler, read from the environment (prefix DOSSIER_).

Stages never read settings themselves: the pipeline passes each stage the values it needs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DOSSIER_", env_file=None, extra="ignore")

    # ingest
    dpi: int = Field(200, ge=50, le=600, description="rasterizing resolution for PDF pages")
    raster_threads: int = Field(2, ge=1, description="threads rasterizing pages")
    max_page_pixels: int = Field(60_000_000, ge=1_000_000, description="largest page raster kept; larger pages are rasterized smaller")
    max_image_pixels: int = Field(450_000_000, ge=1_000_000, description="largest image decoded at all (a 20000×20000 scan passes); beyond it a decompression bomb is refused by name")
    max_pages: int = Field(5000, ge=1, description="pages one job may have, all files together")
    max_unpacked_bytes: int = Field(8 << 30, ge=1, description="bytes the zip archives of one job may unpack to (zip bombs)")
    worker_memory_mb: int = Field(4096, ge=256, description="address space of each decoding worker (pdftoppm included): a hostile file kills only its worker")
    stage_seconds: float = Field(120, gt=0, description="seconds a decoding worker may spend on one page or one file's page list")
    unreadable_pages: Literal["exclude", "fail"] = Field("exclude", description="a page that cannot be decoded: list it among the excluded pages with the reason, or fail the job")

    # inference
    inference_backend: Literal["onnxruntime", "torch", "triton"] = Field(
        "onnxruntime", description="what runs the models: onnxruntime in-process, torch in-process (the ONNX graphs converted; GPU without onnxruntime-gpu), or a Triton server")
    execution_provider: str = Field("CPUExecutionProvider", description="onnxruntime execution provider (CUDAExecutionProvider, TensorRTExecutionProvider); for torch, anything but CPU means the GPU")
    inference_precision: Literal["fp32", "fp16"] = Field("fp32", description="fp16 runs the torch backend in half precision on a GPU")
    triton_url: str = Field("localhost:8000", description="host:port of the Triton server's HTTP endpoint (inference_backend=triton)")
    streamline_graphs: bool = Field(True, description="run the models' graphs with the exporter's elementwise chains fused and folded (ocr/streamline.py): the same outputs to ~1e-6, and 20-55% less CPU time per model; off runs the shipped files as they are")
    inference_threads: int = Field(0, ge=0, description="onnxruntime intra-op threads, 0 = all cores")
    detection_max_side: int = Field(1280, ge=320, description="long side of the image the text detector sees (1280 leaves 五号 characters of an A4 page at 200 dpi about 16 px high; 1600 costs about 30% more detection time, and its CER was within 0.2 points either way)")
    read_ahead: int = Field(0, ge=0, le=256, description="pages of a job being read at once (so batches can form); 0 = by device: 1 on the CPU, 2 × read_batch on a GPU")
    read_batch: int = Field(0, ge=0, le=128, description="pages one reader call takes together (detection batched by size, all their lines recognized together); 0 = by device: 1 on the CPU, 16 on a GPU")
    recognition_batch: int = Field(0, ge=0, description="text lines per recognition call; 0 = by device: 1 on the CPU (a batch only adds padding there), 64 on a GPU")

    # preparation
    blank_ink_ratio: float = Field(0.002, ge=0, description="pages with less dark ink than this are blank candidates")
    duplicate_hash_distance: int = Field(10, ge=0, description="max perceptual-hash distance for duplicates")
    duplicate_text_similarity: float = Field(0.95, ge=0, le=1)

    # page models
    page_model: str = Field("rules", description="the rule baseline ('rules', the default: it scores best on case files from generators no model was trained on), or a page model version under models/page-model (or a model folder)")
    models_dir: Path | None = Field(None, description="folder of page model versions; default: the shipped models/page-model")

    # cataloging
    taxonomy: Path | None = Field(None, description="ordering profile (taxonomy YAML); default is the shipped one")
    volume_page_limit: int = Field(200, ge=10, description="a volume longer than this is split into parts")

    # service state: API keys, jobs, uploads and results
    data_dir: Path = Field(default_factory=lambda: Path.home() / ".local" / "share" / "dossier",
                           description="the service's data folder (database, uploads, results), shared with `dossier keys`")
    database_url: str | None = Field(None, description="SQLAlchemy URL of the job database; default: SQLite in data_dir")
    upload_max_bytes: int = Field(2 << 30, ge=1, description="largest upload accepted, all files of a job together")
    rate_limit_per_minute: int = Field(600, ge=0, description="requests a minute per API key (and per address without one); 0: no limit")
    rate_limit_burst: int = Field(100, ge=1, description="requests an API key may make at once before the per-minute rate applies")
    job_lease_s: float = Field(60, ge=1, description="a running job whose worker has not renewed its lease for this long (a crash, a restart) is queued again")
    job_max_attempts: int = Field(3, ge=1, description="a job cut off this many times (its worker crashed each time) fails instead of being queued again")
    service_jobs: int = Field(2, ge=1, description="jobs one service worker compiles at once (the model deployments batch pages across them)")

    @model_validator(mode="after")
    def _by_device(self) -> Settings:
        """Batch sizes left at 0 take the device's best: on the CPU a batch only adds padding and
        latency; a GPU wants many pages and lines per call."""
        gpu = self.execution_provider != "CPUExecutionProvider"
        self.read_batch = self.read_batch or (16 if gpu else 1)
        self.read_ahead = self.read_ahead or (2 * self.read_batch if gpu else 1)
        self.recognition_batch = self.recognition_batch or (64 if gpu else 1)
        return self

    def database(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'dossier.db'}"

    # output
    jpeg_quality: int = Field(75, ge=20, le=95)
    compiled_by: str = Field("dossier", description="立卷人 printed on the 卷内备考表")
    signing_key: Path | None = Field(None, description="Ed25519 private key (PEM) that signs each dossier's manifest; default: signing-key.pem in data_dir, made on first use")

    pdf_signing_cert: Path | None = Field(None, description="the agency's X.509 certificate (PEM): with pdf_signing_key, the PDF itself is signed (PAdES)")
    pdf_signing_key: Path | None = Field(None, description="the private key (PEM, unencrypted) of pdf_signing_cert")

    def signing_key_path(self) -> Path:
        return self.signing_key or self.data_dir / "signing-key.pem"

    def recorded(self) -> dict:
        """The settings as a manifest records them: without secrets and local paths."""
        return self.model_dump(mode="json", exclude={"database_url", "data_dir", "signing_key", "pdf_signing_key", "pdf_signing_cert", "models_dir", "taxonomy"})
