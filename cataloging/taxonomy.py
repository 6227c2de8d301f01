"""The taxonomy contract (document types, volumes, ordering) loaded from YAML.

The default is the copy of `shared/spec/taxonomy.yaml` shipped in this package; an agency can
point the `taxonomy` setting at its own profile file.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

SPEC_DIR = resources.files("cataloging") / "spec"


@dataclass(frozen=True)
class DocType:
    code: str
    label: str
    volume: str
    order: int
    cues: tuple[str, ...]


@dataclass(frozen=True)
class VolumeSpec:
    code: str
    label: str


@dataclass(frozen=True)
class Taxonomy:
    profile: str
    volumes: tuple[VolumeSpec, ...]
    types: tuple[DocType, ...]

    def type(self, code: str) -> DocType:
        for t in self.types:
            if t.code == code:
                return t
        raise KeyError(f"unknown document type {code!r}")

    def volume(self, code: str) -> VolumeSpec:
        for v in self.volumes:
            if v.code == code:
                return v
        raise KeyError(f"unknown volume {code!r}")

    def volume_rank(self, code: str) -> int:
        return [v.code for v in self.volumes].index(code)

    @property
    def codes(self) -> list[str]:
        return [t.code for t in self.types]


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    text = path.read_text(encoding="utf-8") if path else (SPEC_DIR / "taxonomy.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    volumes = tuple(VolumeSpec(v["code"], v["label"]) for v in raw["volumes"])
    known = {v.code for v in volumes}
    types = []
    for t in raw["types"]:
        if t["volume"] not in known:
            raise ValueError(f"type {t['code']} names unknown volume {t['volume']}")
        types.append(DocType(t["code"], t["label"], t["volume"], int(t["order"]), tuple(t.get("cues", ()))))
    return Taxonomy(raw.get("profile", "custom"), volumes, tuple(types))


def catalog_schema_text() -> str:
    return (SPEC_DIR / "catalog.schema.json").read_text(encoding="utf-8")
