"""One settings object for the whole compiler, read from the environment (prefix DOSSIER_).

Stages never read settings themselves: the pipeline passes each stage the values it needs.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DOSSIER_", env_file=None, extra="ignore")

    # ingest
    dpi: int = Field(200, ge=50, le=600, description="rasterizing resolution for PDF pages")
    raster_threads: int = Field(2, ge=1, description="threads rasterizing pages")
    max_page_pixels: int = Field(60_000_000, ge=1_000_000, description="largest page raster accepted")

    # inference
    execution_provider: str = Field("CPUExecutionProvider", description="onnxruntime execution provider")
    inference_threads: int = Field(0, ge=0, description="onnxruntime intra-op threads, 0 = all cores")
    detection_max_side: int = Field(1600, ge=320, description="long side of the image the text detector sees")
    read_ahead: int = Field(1, ge=1, le=64, description="pages of a job being read at once (the service sends more, so its OCR deployment can batch them)")
    recognition_batch: int = Field(4, ge=1, description="text lines per recognition call (small batches pad less; 4 is fastest on 2 CPU cores)")

    # preparation
    blank_ink_ratio: float = Field(0.002, ge=0, description="pages with less dark ink than this are blank candidates")
    duplicate_hash_distance: int = Field(10, ge=0, description="max perceptual-hash distance for duplicates")
    duplicate_text_similarity: float = Field(0.95, ge=0, le=1)

    # page models
    page_model: str = Field("v1", description="page model version under models/page-model (or a model folder), or 'rules' for the rule baseline")
    models_dir: Path | None = Field(None, description="folder of page model versions; default: the shipped models/page-model")

    # cataloging
    taxonomy: Path | None = Field(None, description="ordering profile (taxonomy YAML); default is the shipped one")
    volume_page_limit: int = Field(200, ge=10, description="a volume longer than this is split into parts")

    # service state: API keys, jobs, uploads and results
    data_dir: Path = Field(default_factory=lambda: Path.home() / ".local" / "share" / "dossier",
                           description="the service's data folder (database, uploads, results), shared with `dossier keys`")
    database_url: str | None = Field(None, description="SQLAlchemy URL of the job database; default: SQLite in data_dir")
    upload_max_bytes: int = Field(2 << 30, ge=1, description="largest upload accepted, all files of a job together")
    job_lease_s: float = Field(60, ge=1, description="a running job whose worker has not renewed its lease for this long (a crash, a restart) is queued again")
    job_max_attempts: int = Field(3, ge=1, description="a job cut off this many times (its worker crashed each time) fails instead of being queued again")
    service_jobs: int = Field(2, ge=1, description="jobs one service worker compiles at once (the model deployments batch pages across them)")

    def database(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'dossier.db'}"

    # output
    jpeg_quality: int = Field(75, ge=20, le=95)
    compiled_by: str = Field("dossier", description="立卷人 printed on the 卷内备考表")
