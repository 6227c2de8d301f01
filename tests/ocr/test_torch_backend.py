"""The torch backend (the GPU path without onnxruntime-gpu) answers like onnxruntime, on the CPU here."""

import importlib
import sys
import types

import numpy as np
import pytest

from ocr.inference import SHIPPED, OnnxBackend, RuntimeOptions, shipped_model
from ocr.reader import PageReader, ReaderOptions
from tests.conftest import RECORD_FIRST_PAGE, draw_page


@pytest.fixture(scope="module", autouse=True)
def onnx2torch():
    if importlib.util.find_spec("onnx2torch") is None:
        pytest.skip("onnx2torch is not installed")
    with pytest.MonkeyPatch.context() as patch:
        try:
            importlib.import_module("torchvision")
        except Exception:  # noqa: BLE001 - absent, or built for another torch (the CPU torch pin here)
            # onnx2torch imports torchvision for two converters (NMS, RoIAlign) that none of our
            # graphs use; GPU machines have the real one beside their torch
            stand_in = types.ModuleType("torchvision")
            stand_in.ops = types.ModuleType("torchvision.ops")
            stand_in.ops.roi_align = None
            patch.setitem(sys.modules, "torchvision", stand_in)
            patch.setitem(sys.modules, "torchvision.ops", stand_in.ops)
        yield


INPUTS = {"det": (2, 3, 320, 256), "rec": (3, 3, 48, 320), "cls": (4, 3, 48, 192), "layout": (1, 3, 800, 608)}


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_each_graph_gives_onnxruntime_answers(name):
    from ocr.torch_backend import TorchBackend

    x = np.random.default_rng(0).uniform(-1, 1, INPUTS[name]).astype(np.float32)
    model = shipped_model(name)
    converted = TorchBackend(model, RuntimeOptions(backend="torch"))
    assert converted.metadata() == OnnxBackend(model).metadata()
    for ours, theirs in zip(OnnxBackend(model).run(x), converted.run(x), strict=True):
        np.testing.assert_allclose(theirs, ours, atol=1e-4)


def test_a_page_reads_the_same_with_torch(reader):
    page = draw_page(RECORD_FIRST_PAGE)
    ours = reader.read(page)
    theirs = PageReader(ReaderOptions(runtime=RuntimeOptions(backend="torch"))).read(page)
    assert [line.text for line in theirs.lines] == [line.text for line in ours.lines]
    assert theirs.orientation == ours.orientation
    assert [r.label for r in theirs.regions] == [r.label for r in ours.regions]
