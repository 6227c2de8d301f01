"""The Triton option: the shipped model repository, and a real tritonserver (from the
nvidia-pytriton wheel) giving the same answers as in-process onnxruntime."""

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import numpy as np
import onnx
import pytest

from benchmarks.service import free_port
from benchmarks.triton_server import TritonServer, server_dist
from classification.page_model import MODELS_DIR, list_models, triton_name
from ocr.inference import SHIPPED, OnnxBackend, RuntimeOptions, shipped_model
from ocr.orientation import rotate
from ocr.reader import PageReader, ReaderOptions
from ocr.streamline import streamlined
from ocr.triton import TritonBackend, TritonError, model_config, write_repository
from tests.conftest import RECORD_FIRST_PAGE, draw_page

REPOSITORY = Path(__file__).resolve().parents[2] / "models" / "triton"


def all_models() -> dict[str, Path]:
    models = {name: shipped_model(name) for name in SHIPPED}
    return models | {triton_name(info.path): info.path / "model.onnx" for info in list_models(MODELS_DIR)}


def test_graphs_with_a_free_batch_dimension_are_batched_by_the_server():
    det = model_config("det", shipped_model("det"))
    assert 'backend: "onnxruntime"' in det and "max_batch_size: 64" in det
    assert '{ name: "x" data_type: TYPE_FP32 dims: [ 3, -1, -1 ] }' in det
    assert "dynamic_batching" in det and "KIND_GPU" in det
    layout = model_config("layout", shipped_model("layout"), kind="cpu", flavour="python")
    assert "max_batch_size: 0" in layout and "dynamic_batching" not in layout
    assert 'dims: [ 1, 3, 800, 608 ]' in layout and "KIND_CPU" in layout and 'backend: "python"' in layout
    assert "tensorrt" in model_config("rec", shipped_model("rec"), tensorrt=True)


def test_the_shipped_repository_is_what_the_command_writes(tmp_path):
    write_repository(tmp_path, all_models(), with_models=False)
    shipped = {p.parent.name: p.read_text() for p in REPOSITORY.glob("*/config.pbtxt")}
    written = {p.parent.name: p.read_text() for p in tmp_path.glob("*/config.pbtxt")}
    assert shipped == written, "models/triton is stale: run `dossier models triton --configs-only`"


def test_the_command_fills_a_repository_with_the_graphs(tmp_path):
    out = tmp_path / "repo"
    subprocess.run([sys.executable, "-m", "compiler_service.cli", "models", "triton", "--output", str(out),
                    "--kind", "cpu", "--flavour", "python"], check=True, capture_output=True)
    for name, source in all_models().items():
        assert (out / name / "1" / "model.onnx").read_bytes() == streamlined(source).SerializeToString()
        assert (out / name / "1" / "model.py").exists()
        assert 'backend: "python"' in (out / name / "config.pbtxt").read_text()


def test_a_missing_server_is_named():
    url = f"127.0.0.1:{free_port()}"
    with pytest.raises(TritonError, match=url):
        TritonBackend("rec", shipped_model("rec"), RuntimeOptions(backend="triton", triton_url=url))


@pytest.fixture(scope="module")
def triton(tmp_path_factory):
    if server_dist() is None:
        pytest.skip("nvidia-pytriton (the tritonserver binary) is not installed")
    root = tmp_path_factory.mktemp("triton")
    write_repository(root / "repo", all_models(), kind="cpu", flavour="python")
    with TritonServer(root / "repo", root / "server.log") as server:
        yield server


def test_a_page_reads_the_same_through_triton(triton, reader):
    through = PageReader(ReaderOptions(runtime=RuntimeOptions(backend="triton", triton_url=triton.url)))
    page = draw_page(RECORD_FIRST_PAGE)
    for scan in (page, rotate(page, 180)[0]):  # upside down: the direction classifier is asked too
        ours, theirs = reader.read(scan), through.read(scan)
        assert theirs.lines == ours.lines and theirs.lines
        assert theirs.regions == ours.regions
        assert theirs.orientation == ours.orientation


def test_concurrent_requests_are_batched_and_answered_like_in_process(triton):
    model = shipped_model("rec")
    local = OnnxBackend(model)
    remote = TritonBackend("rec", model, RuntimeOptions(backend="triton", triton_url=triton.url))
    lines = [np.random.default_rng(i).uniform(-1, 1, (1, 3, 48, 320)).astype(np.float32) for i in range(24)]

    def counts() -> tuple[int, int]:
        stats = httpx.get(f"http://{triton.url}/v2/models/rec/stats").json()["model_stats"][0]
        return stats["inference_count"], stats["execution_count"]

    inferences, executions = counts()
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda x: remote.run(x)[0], lines))
    for x, answer in zip(lines, answers):
        np.testing.assert_allclose(answer, local.run(x)[0], atol=1e-5)
    inferences_after, executions_after = counts()
    assert inferences_after - inferences == 24
    assert executions_after - executions < 24, "the dynamic batcher merged none of the concurrent requests"


def test_the_page_model_answers_the_same_through_triton(triton):
    info = list_models(MODELS_DIR)[0]
    model = info.path / "model.onnx"
    rng = np.random.default_rng(0)
    feed = {}
    for tensor in onnx.load(str(model)).graph.input:  # a window of 9 pages where the graph has a free dimension
        shape = [d.dim_value or 9 for d in tensor.type.tensor_type.shape.dim]
        float_input = tensor.type.tensor_type.elem_type == onnx.TensorProto.FLOAT
        feed[tensor.name] = rng.random(shape, dtype=np.float32) if float_input else np.ones(shape, np.int64)
    remote = TritonBackend(triton_name(info.path), model, RuntimeOptions(backend="triton", triton_url=triton.url))
    for ours, theirs in zip(OnnxBackend(model).run(feed), remote.run(feed), strict=True):
        np.testing.assert_allclose(theirs, ours, atol=1e-5)
