"""The taxonomy contract (document types, volumes, ordering) loaded from YAML.

The default is the copy of `shared/spec/taxonomy.yaml` shipped in this package; an agency can
point the `taxonomy` setting at its own profile file.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

SPEC_DIR = resources.files("classification") / "spec"


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
    # an agency's profile may name who compiles its dossiers (`cover:`): then no run has to
    compiled_unit: str | None = None  # 立卷单位
    compiled_by: str | None = None  # 立卷人

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


class ProfileError(ValueError):
    """A profile that cannot be used; `problem` says why, without the file's name."""

    def __init__(self, where: object, problem: str):
        super().__init__(f"{where}: {problem}")
        self.problem = problem


SHAPE = "a profile names its volumes (code, label) and its types (code, label, volume, order), as classification/spec/taxonomy.yaml does"


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    where = path or "the shipped taxonomy.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8") if path else (SPEC_DIR / "taxonomy.yaml").read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProfileError(where, (exc.strerror or str(exc)).lower()) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ProfileError(where, f"not a YAML file ({' '.join(str(exc).split())})") from None
    for key in ("volumes", "types"):
        if not isinstance(raw, dict) or not isinstance(raw.get(key), list) or not raw[key]:
            raise ProfileError(where, f"no `{key}:` list; {SHAPE}")
    for i, entry in enumerate(raw["volumes"], 1):
        if not isinstance(entry, dict) or not {"code", "label"} <= entry.keys():
            raise ProfileError(where, f"volume {i} needs a code and a label; {SHAPE}")
    volumes = tuple(VolumeSpec(v["code"], v["label"]) for v in raw["volumes"])
    known = {v.code for v in volumes}
    types = []
    for i, t in enumerate(raw["types"], 1):
        if not isinstance(t, dict) or not {"code", "label", "volume", "order"} <= t.keys() or not isinstance(t["order"], int):
            raise ProfileError(where, f"type {i} needs a code, a label, a volume and a whole-number order; {SHAPE}")
        if t["volume"] not in known:
            raise ProfileError(where, f"type {t['code']} names unknown volume {t['volume']}")
        types.append(DocType(t["code"], t["label"], t["volume"], t["order"], tuple(t.get("cues", ()))))
    cover = raw.get("cover") or {}
    if not isinstance(cover, dict) or not all(isinstance(cover.get(k, ""), str) for k in ("compiled_unit", "compiled_by")):
        raise ProfileError(where, "`cover:` takes compiled_unit (立卷单位) and compiled_by (立卷人) as text")
    return Taxonomy(raw.get("profile", "custom"), volumes, tuple(types), cover.get("compiled_unit"), cover.get("compiled_by"))


def catalog_schema_text() -> str:
    return (SPEC_DIR / "catalog.schema.json").read_text(encoding="utf-8")
