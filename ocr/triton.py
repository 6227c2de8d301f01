"""Triton Inference Server: the model repository we ship, and the backend that calls the server.

`write_repository` lays out one folder per model (`<name>/config.pbtxt`, `<name>/1/model.onnx`).
The config is derived from the ONNX graph's inputs and outputs: a graph with a free leading
dimension gets `max_batch_size` and dynamic batching, so the server merges requests from many
readers into one GPU call; a graph with a fixed batch (layout, the page model) is served as is.

Two ways to run the graphs inside Triton:
- `onnxruntime`: Triton's own onnxruntime backend (the NGC `tritonserver` images), GPU instance
  groups, TensorRT optionally;
- `python`: Triton's Python backend running onnxruntime (`triton_model.py`), for servers built
  without the onnxruntime backend, such as the one in the `nvidia-pytriton` wheel. Same configs,
  same tensors.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import numpy as np
import onnx

from ocr.inference import RuntimeOptions, graph_metadata
from ocr.streamline import streamlined

FLAVOURS = ("onnxruntime", "python")
KINDS = ("gpu", "cpu")
MAX_BATCH = 64

# ONNX element types to Triton's config names and the wire datatypes of the client protocol
_TYPES = {
    onnx.TensorProto.FLOAT: ("TYPE_FP32", "FP32"),
    onnx.TensorProto.FLOAT16: ("TYPE_FP16", "FP16"),
    onnx.TensorProto.INT64: ("TYPE_INT64", "INT64"),
    onnx.TensorProto.INT32: ("TYPE_INT32", "INT32"),
    onnx.TensorProto.BOOL: ("TYPE_BOOL", "BOOL"),
}


class TritonError(RuntimeError):
    pass


def _tensors(graph: onnx.GraphProto, values) -> list[tuple[str, int, list[int]]]:
    weights = {init.name for init in graph.initializer}
    return [(v.name, v.type.tensor_type.elem_type, [d.dim_value if d.dim_value > 0 else -1 for d in v.type.tensor_type.shape.dim])
            for v in values if v.name not in weights]


def model_config(name: str, model: Path, kind: str = "gpu", flavour: str = "onnxruntime", tensorrt: bool = False) -> str:
    """config.pbtxt for one ONNX graph."""
    graph = onnx.load(str(model), load_external_data=False).graph
    inputs, outputs = _tensors(graph, graph.input), _tensors(graph, graph.output)
    batched = all(dims and dims[0] == -1 for _, _, dims in inputs)

    def block(tensors: list[tuple[str, int, list[int]]]) -> str:
        rows = []
        for tensor, elem, dims in tensors:
            shown = dims[1:] if batched else dims
            rows.append(f'  {{ name: "{tensor}" data_type: {_TYPES[elem][0]} dims: [ {", ".join(map(str, shown))} ] }}')
        return ",\n".join(rows)

    lines = [f'name: "{name}"', f'backend: "{flavour}"', f"max_batch_size: {MAX_BATCH if batched else 0}",
             f"input [\n{block(inputs)}\n]", f"output [\n{block(outputs)}\n]"]
    if batched:
        # short: a reader waits for its answer; the queue only gathers what arrives together
        lines.append("dynamic_batching { max_queue_delay_microseconds: 2000 }")
    lines.append(f"instance_group [ {{ count: 1 kind: {'KIND_GPU' if kind == 'gpu' else 'KIND_CPU'} }} ]")
    if tensorrt and kind == "gpu" and flavour == "onnxruntime":
        lines.append('optimization { execution_accelerators { gpu_execution_accelerator: [ '
                     '{ name: "tensorrt" parameters { key: "precision_mode" value: "FP16" } } ] } }')
    return "\n".join(lines) + "\n"


def write_repository(root: Path, models: Mapping[str, Path], kind: str = "gpu", flavour: str = "onnxruntime",
                     tensorrt: bool = False, with_models: bool = True, streamline: bool = True) -> list[Path]:
    """Write `root/<name>/config.pbtxt` for each model and, with `with_models`, its version 1 files:
    the graphs as `ocr.streamline` rewrites them (the same the in-process backends run), or with
    `streamline=False` the files as they are."""
    if kind not in KINDS or flavour not in FLAVOURS:
        raise ValueError(f"kind must be one of {KINDS} and flavour one of {FLAVOURS}")
    written = []
    for name, model in models.items():
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        config = folder / "config.pbtxt"
        config.write_text(model_config(name, model, kind, flavour, tensorrt), encoding="utf-8")
        written.append(config)
        if with_models:
            version = folder / "1"
            version.mkdir(exist_ok=True)
            if streamline:
                (version / "model.onnx").write_bytes(streamlined(model).SerializeToString())
            else:
                shutil.copyfile(model, version / "model.onnx")
            if flavour == "python":
                shutil.copyfile(Path(str(resources.files("ocr") / "triton_model.py")), version / "model.py")
    return written


class TritonBackend:
    """One model on a Triton server, over HTTP; tensors travel as binary."""

    def __init__(self, name: str, model: Path, options: RuntimeOptions = RuntimeOptions()):
        import tritonclient.http as http
        from tritonclient.utils import InferenceServerException

        self._http = http
        self.name = name
        self.url = options.triton_url
        self._local = threading.local()
        try:
            ready = self._client().is_model_ready(name)
        except Exception as exc:  # connection refused, DNS: the server is not there
            raise TritonError(f"no Triton server at {self.url}: {exc}") from exc
        if not ready:
            raise TritonError(f"the Triton server at {self.url} has no model {name!r} ready: "
                              "fill its repository with `dossier models triton`")
        proto = onnx.load(str(model), load_external_data=False)
        graph = proto.graph
        self._inputs = [(n, _TYPES[e][1]) for n, e, _ in _tensors(graph, graph.input)]
        self._outputs = [n for n, _, _ in _tensors(graph, graph.output)]
        self._metadata = graph_metadata(proto)
        self._server_error = InferenceServerException

    def run(self, inputs: np.ndarray | Mapping[str, np.ndarray]) -> list[np.ndarray]:
        feed = dict(inputs) if isinstance(inputs, Mapping) else {self._inputs[0][0]: inputs}
        requests = []
        for name, datatype in self._inputs:
            array = np.ascontiguousarray(feed[name])
            tensor = self._http.InferInput(name, list(array.shape), datatype)
            tensor.set_data_from_numpy(array, binary_data=True)
            requests.append(tensor)
        wanted = [self._http.InferRequestedOutput(name, binary_data=True) for name in self._outputs]
        try:
            result = self._client().infer(self.name, requests, outputs=wanted)
        except self._server_error as exc:
            raise TritonError(f"Triton model {self.name!r} at {self.url}: {exc}") from exc
        return [result.as_numpy(name) for name in self._outputs]

    def metadata(self) -> dict[str, str]:
        return dict(self._metadata)

    def _client(self):
        """A client per thread: tritonclient's HTTP client must not be shared across threads, and
        readers call from several (read-ahead, concurrent jobs)."""
        if not hasattr(self._local, "client"):
            self._local.client = self._http.InferenceServerClient(self.url, network_timeout=600.0)
        return self._local.client
