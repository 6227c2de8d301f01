"""The ONNX graphs run by torch: the GPU path where onnxruntime-gpu is not installed.

onnx2torch rebuilds each graph as a torch module, so the shipped files stay the single source of
the weights; on a GPU the module runs in fp16 when asked (`precision="fp16"`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import onnx
from onnxruntime.tools.symbolic_shape_infer import SymbolicShapeInference

from ocr.inference import RuntimeOptions, graph_metadata
from ocr.streamline import constants_as_initializers, streamlined


class TorchBackend:
    def __init__(self, model: Path, options: RuntimeOptions = RuntimeOptions()):
        import torch
        from onnx2torch import convert

        graph = _with_shapes(_prepared(streamlined(model) if options.streamline else onnx.load(str(model))))
        weights = {init.name for init in graph.graph.initializer}
        self._inputs = [i.name for i in graph.graph.input if i.name not in weights]
        self._metadata = graph_metadata(graph)
        self._torch = torch
        self.model = model
        self.device = torch.device("cuda" if options.on_gpu else "cpu")
        self.dtype = torch.float16 if options.precision == "fp16" and options.on_gpu else torch.float32
        if not options.on_gpu and options.threads:
            torch.set_num_threads(options.threads)
        self._module = convert(graph).eval().to(self.device, self.dtype)

    def run(self, inputs: np.ndarray | Mapping[str, np.ndarray]) -> list[np.ndarray]:
        feed = dict(inputs) if isinstance(inputs, Mapping) else {self._inputs[0]: inputs}
        torch = self._torch
        with torch.inference_mode():
            args = []
            for name in self._inputs:
                tensor = torch.from_numpy(np.ascontiguousarray(feed[name])).to(self.device)
                args.append(tensor.to(self.dtype) if tensor.is_floating_point() else tensor)
            out = self._module(*args)
        outputs = out if isinstance(out, (list, tuple)) else [out]
        return [o.float().cpu().numpy() if o.is_floating_point() else o.cpu().numpy() for o in outputs]

    def metadata(self) -> dict[str, str]:
        return dict(self._metadata)


def _with_shapes(model: onnx.ModelProto) -> onnx.ModelProto:
    """The converter needs every tensor's rank. onnxruntime's symbolic inference follows the
    recognizer's dynamic reshapes where onnx's own stops, but rejects some graphs onnx handles."""
    try:
        return SymbolicShapeInference.infer_shapes(model, auto_merge=True)
    except Exception:  # noqa: BLE001 - any failure there: onnx's inference is the fallback
        return onnx.shape_inference.infer_shapes(model)


def _prepared(model: onnx.ModelProto) -> onnx.ModelProto:
    """The graph in the form onnx2torch converts.

    Paddle's exporter stores weights as Constant nodes, and onnx2torch looks for initializers.
    torch's exporter marks reshapes `allowzero=1`, which onnx2torch refuses; it differs from the
    default only for a target dimension of 0, and no empty tensor reaches a model."""
    graph = model.graph
    for node in graph.node:
        if node.op_type == "Reshape":
            for attribute in node.attribute:
                if attribute.name == "allowzero":
                    attribute.i = 0
    constants_as_initializers(graph)
    return model
