"""A Triton Python-backend model that runs the `model.onnx` beside it with onnxruntime.

Copied into a model repository by `dossier models triton --flavour python`; imported by Triton's
Python backend stub, never by dossier itself. It serves servers built without Triton's own
onnxruntime backend, with the same tensors in and out.
"""

import os

import numpy as np
import onnxruntime as ort
import triton_python_backend_utils as pb_utils


class TritonPythonModel:
    def initialize(self, args):
        model = os.path.join(args["model_repository"], args["model_version"], "model.onnx")
        options = ort.SessionOptions()
        options.log_severity_level = 3
        self.session = ort.InferenceSession(model, sess_options=options, providers=["CPUExecutionProvider"])
        self.inputs = [i.name for i in self.session.get_inputs()]
        self.outputs = [o.name for o in self.session.get_outputs()]

    def execute(self, requests):
        responses = []
        for request in requests:
            # through DLPack, not as_numpy(): the stub's numpy glue predates numpy 2
            feed = {name: np.from_dlpack(pb_utils.get_input_tensor_by_name(request, name)) for name in self.inputs}
            try:
                results = self.session.run(self.outputs, feed)
            except Exception as exc:  # a bad tensor fails its own request, not the batch
                responses.append(pb_utils.InferenceResponse(output_tensors=[], error=pb_utils.TritonError(str(exc))))
                continue
            tensors = [pb_utils.Tensor.from_dlpack(n, np.ascontiguousarray(r)) for n, r in zip(self.outputs, results)]
            responses.append(pb_utils.InferenceResponse(tensors))
        return responses
