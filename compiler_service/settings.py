"""One settings object for the whole compiler, read from the environment (prefix DOSSIER_).

Stages never read settings themselves: the pipeline passes each stage the values it needs.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from classification.taxonomy import ProfileError, load_taxonomy


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
    duplicate_text_similarity: float = Field(0.95, ge=0, le=1, description="OCR text similarity above which two pages that also look alike are duplicates")

    # page models
    page_model: str = Field("rules", description="the rule baseline ('rules', the default: it scores best on case files from generators no model was trained on), or a page model version under classification/page_models (or a model folder)")
    models_dir: Path | None = Field(None, description="folder of your page model versions, where `dossier train --output NAME` writes and where a version name is looked up before the shipped ones; default: page-models in data_dir")

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
    idempotency_hold_s: float = Field(600, gt=0, description="an upload whose files are still arriving this long after it began (its "
                                      "process died, or its client is that slow) no longer holds its Idempotency-Key: a retry may make the job instead")
    upload_retention_s: float = Field(0, ge=0, description="seconds a job's uploaded scans are kept after it ends (done or failed), "
                                      "counted against its agency's stored bytes; 0: deleted as it ends (the dossier holds every page)")
    quota_jobs: int = Field(100, ge=0, description="dossiers one agency may have queued or compiling at once; an upload past it is "
                            "refused (429 with Retry-After); 0: no limit")
    quota_bytes: int = Field(100 << 30, ge=0, description="bytes one agency's dossiers may keep (uploads not yet deleted, and results); "
                             "an upload that would pass it is refused (429) until the agency deletes dossiers; 0: no limit")

    # the HTTP layer (docs/threat-model.md)
    operator_token: SecretStr | None = Field(None, description="the operator's credential for /metrics and the API docs "
                                             "(/docs, /openapi.json): `Authorization: Bearer TOKEN`, or TOKEN as the password of a browser's "
                                             "sign-in prompt; unset, they are closed to everyone (no agency's key opens them)")
    trusted_proxies: str = Field("", description="reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: addresses or "
                                 "networks, comma-separated (10.0.0.5,10.1.0.0/16), or *; empty: none, the peer's address is the client's")
    upload_max_files: int = Field(1000, ge=1, description="files one upload may hold; more is refused (400) before they are read")

    # the client (`dossier submit`, compiler_service/client.py)
    api_key: SecretStr | None = Field(None, description="the agency's API key the client sends (DOSSIER_API_KEY)")
    client_patience_s: float = Field(120, gt=0, description="seconds the client keeps trying a request the service cannot take now "
                                     "(unreachable, dropped connection, 429, 503, a restart) before it gives up")
    client_poll_s: float = Field(1, gt=0, description="seconds between the client's looks at a job's progress")
    client_timeout_s: float = Field(60, gt=0, description="seconds one request may wait on the network before it counts as dropped")

    @field_validator("taxonomy")
    @classmethod
    def _profile_loads(cls, path: Path | None) -> Path | None:
        """A profile that cannot be used is named now, not minutes into a compile."""
        if path is not None:
            try:
                load_taxonomy(path)
            except ProfileError as exc:
                raise ValueError(exc.problem) from None  # the error names the setting and the file
        return path

    @field_validator("operator_token")
    @classmethod
    def _long_token(cls, token: SecretStr | None) -> SecretStr | None:
        if token is not None and len(token.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters: a long random string (openssl rand -hex 32)")
        return token

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_addresses(cls, value: str) -> str:
        """uvicorn takes a malformed address for a name that never matches: say so now instead."""
        for entry in filter(None, (e.strip() for e in value.split(","))):
            if entry != "*":
                try:
                    ipaddress.ip_network(entry, strict=False)
                except ValueError:
                    raise ValueError(f"{entry!r} is not an IP address or network") from None
        return value

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
    jpeg_quality: int = Field(45, ge=20, le=95, description="JPEG quality of the scans in the PDF (with clean_scans, 45 leaves "
                              "the stored pages as legible to the OCR as the scans were at 75)")
    clean_scans: bool = Field(True, description="store each page in grey unless it has colour (a seal, coloured ink, a red "
                              "fingerprint), with its paper's shade and grain evened out to white: under 100 KB a page for "
                              "200-dpi scans instead of 300 KB, the text layer unchanged (it is read before); off keeps the scans as read")
    compiled_by: str | None = Field(None, description="立卷人 on the cover and the 卷内备考表; default: the profile's (cover: compiled_by), else a blank line to fill in by hand")
    compiled_unit: str | None = Field(None, description="立卷单位 on the cover; default: the profile's (cover: compiled_unit), else a blank line")
    case_number: str | None = Field(None, description="案件编号 on the cover, the 卷内目录 and in the catalog; default: the number the pages print (案件编号, 案号), else blank")
    signing_key: Path | None = Field(None, description="Ed25519 private key (PEM) that signs each dossier's manifest; default: signing-key.pem in data_dir, made on first use")

    pdf_signing_cert: Path | None = Field(None, description="the agency's X.509 certificate (PEM): with pdf_signing_key, the PDF itself is signed (PAdES)")
    pdf_signing_key: Path | None = Field(None, description="the private key (PEM, unencrypted) of pdf_signing_cert")

    def signing_key_path(self) -> Path:
        return self.signing_key or self.data_dir / "signing-key.pem"

    def page_models_dir(self) -> Path:
        return self.models_dir or self.data_dir / "page-models"

    def recorded(self) -> dict:
        """The settings as a manifest records them: without secrets, local paths and the client's own."""
        return self.model_dump(mode="json", exclude={"database_url", "data_dir", "signing_key", "pdf_signing_key", "pdf_signing_cert", "models_dir", "taxonomy",
                                                     "api_key", "client_patience_s", "client_poll_s", "client_timeout_s"})


def env_name(name: str) -> str:
    return f"{Settings.model_config['env_prefix']}{name.upper()}"


def allowed(name: str) -> str:
    """What a setting accepts, in words, from its type and bounds: "a whole number from 50 to 600"."""
    info = Settings.model_fields[name]
    kind = info.annotation
    if type(None) in get_args(kind):  # optional: what it takes when set
        kind = next(t for t in get_args(kind) if t is not type(None))
    if get_origin(kind) is Literal:
        return "one of " + ", ".join(map(str, get_args(kind)))
    text = {bool: "true or false", int: "a whole number", float: "a number", Path: "a path"}.get(kind, "text")
    bounds = {k: getattr(m, k) for m in info.metadata for k in ("ge", "gt", "le", "lt") if hasattr(m, k)}
    if {"ge", "le"} <= bounds.keys():
        return f"{text} from {bounds['ge']} to {bounds['le']}"
    return " ".join([text, " and ".join(f"{sign} {bounds[k]}" for k, sign in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")) if k in bounds)]).strip()


def problems(error: ValidationError, options: dict[str, str] | None = None) -> list[str]:
    """One line per bad setting: where its value came from (the command-line option `options`
    names for the field, else its DOSSIER_ variable), the value, and what is allowed."""
    options = options or {}
    lines = []
    for e in error.errors():
        name = str(e["loc"][0]) if e["loc"] else ""
        if name not in Settings.model_fields:
            lines.append(e["msg"])
            continue
        value: Any = e.get("input")
        where = f"{options[name]} {value}" if name in options else f"{env_name(name)}={value}"
        why = e["msg"].removeprefix("Value error, ") if e["type"] == "value_error" else f"must be {allowed(name)}"
        lines.append(f"{where}: {why}")
    return lines
