"""The streamlined graphs compute what the shipped ones do, with the exporter's elementwise chains gone."""

from collections import Counter

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from ocr.inference import SHIPPED, OnnxBackend, RuntimeOptions, shipped_model
from ocr.recognize import TextRecognizer
from ocr.streamline import streamlined
from tests.conftest import RECORD_FIRST_PAGE, draw_page


def run(graph: onnx.ModelProto | str, x: np.ndarray) -> np.ndarray:
    source = graph.SerializeToString() if isinstance(graph, onnx.ModelProto) else graph
    session = ort.InferenceSession(source, providers=["CPUExecutionProvider"])
    return session.run(None, {session.get_inputs()[0].name: x})[0]


def scalar(name: str, value: float) -> TensorProto:
    return numpy_helper.from_array(np.array([value], np.float32), name)


def lab_block(tmp_path, second_kernel: int) -> tuple[str, onnx.ModelProto]:
    """conv → ·a + b → hardswish as Paddle writes it → ·c + d → a second conv (padded when 3×3)."""
    rng = np.random.default_rng(0)
    weights = [
        numpy_helper.from_array(rng.normal(size=(8, 3, 3, 3)).astype(np.float32), "w1"),
        numpy_helper.from_array(rng.normal(size=(8,)).astype(np.float32), "b1"),
        numpy_helper.from_array(rng.normal(size=(4, 8, second_kernel, second_kernel)).astype(np.float32), "w2"),
        scalar("a", 1.3), scalar("b", -0.2), scalar("three", 3), scalar("six", 6), scalar("c", 0.7), scalar("d", 0.4),
        numpy_helper.from_array(np.array(0, np.float32), "zero"),
    ]
    pad = second_kernel // 2
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["y"], pads=[1, 1, 1, 1]),
        helper.make_node("Mul", ["a", "y"], ["ya"]),
        helper.make_node("Add", ["ya", "b"], ["yb"]),
        helper.make_node("Add", ["yb", "three"], ["s"]),
        helper.make_node("Clip", ["s", "zero", "six"], ["k"]),
        helper.make_node("Mul", ["yb", "k"], ["m"]),
        helper.make_node("Div", ["m", "six"], ["h"]),
        helper.make_node("Mul", ["c", "h"], ["hc"]),
        helper.make_node("Add", ["hc", "d"], ["hd"]),
        helper.make_node("Conv", ["hd", "w2"], ["out"], pads=[pad] * 4),
    ]
    graph = helper.make_graph(nodes, "block", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 12, 20])],
                              [helper.make_tensor_value_info("out", TensorProto.FLOAT, None)], weights)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 12)])
    path = tmp_path / f"block{second_kernel}.onnx"
    onnx.save(model, path)
    return str(path), streamlined(path)


def test_every_fold_is_exact_in_a_block_as_paddle_exports_it(tmp_path):
    x = np.random.default_rng(1).normal(size=(1, 3, 12, 20)).astype(np.float32)
    path, model = lab_block(tmp_path, second_kernel=1)
    assert Counter(n.op_type for n in model.graph.node) == {"Conv": 2, "HardSigmoid": 1, "Mul": 1}
    np.testing.assert_allclose(run(model, x), run(path, x), rtol=1e-4, atol=1e-4)


def test_a_shift_before_a_padded_conv_stays_so_the_padding_stays_zeros(tmp_path):
    x = np.random.default_rng(2).normal(size=(1, 3, 12, 20)).astype(np.float32)
    path, model = lab_block(tmp_path, second_kernel=3)
    ops = Counter(n.op_type for n in model.graph.node)
    assert ops == {"Conv": 2, "HardSigmoid": 1, "Mul": 1, "Add": 1}  # x + d/c: the scale folds, the shift cannot
    np.testing.assert_allclose(run(model, x), run(path, x), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_the_shipped_graphs_lose_their_elementwise_chains_and_keep_their_outputs(name):
    before = onnx.load(str(shipped_model(name)))
    after = streamlined(shipped_model(name))
    ops, ops_before = Counter(n.op_type for n in after.graph.node), Counter(n.op_type for n in before.graph.node)
    assert ops["Clip"] < ops_before["Clip"] and ops["Div"] < ops_before["Div"]  # the hardswish chains
    assert ops["HardSigmoid"] > ops_before["HardSigmoid"]
    assert after.metadata_props == before.metadata_props  # the recognizer's dictionary travels
    shape = {"det": (1, 3, 320, 256), "rec": (2, 3, 48, 320), "cls": (2, 3, 48, 192), "layout": (1, 3, 800, 608)}[name]
    x = np.random.default_rng(3).uniform(-1, 1, shape).astype(np.float32)
    np.testing.assert_allclose(run(after, x), run(str(shipped_model(name)), x), atol=1e-4)


def test_lines_read_the_same_from_the_streamlined_recognizer():
    page = draw_page(RECORD_FIRST_PAGE)
    lines = [page[y : y + 60, 100:1400] for y in range(150, 900, 75)]
    as_shipped = TextRecognizer(OnnxBackend(shipped_model("rec"), RuntimeOptions(streamline=False)))(lines)
    rewritten = TextRecognizer(OnnxBackend(shipped_model("rec")))(lines)
    assert [r.text for r in rewritten] == [r.text for r in as_shipped]
    assert any(r.text for r in rewritten)


def graph_outside_the_rewrites(kind: str) -> tuple[onnx.ModelProto, dict[str, np.ndarray]]:
    """Graphs the rewrites must leave computing the same: control flow reading a conv's output,
    weights a caller may override (initializers that are also inputs), and float64."""
    rng = np.random.default_rng(4)
    x = rng.normal(size=(1, 3, 8, 8))
    w = numpy_helper.from_array(rng.normal(size=(4, 3, 3, 3)).astype(np.float32), "w")
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])]
    out = [helper.make_tensor_value_info("o", TensorProto.FLOAT, None)]
    feed = {"x": x.astype(np.float32)}
    if kind == "control flow":
        branch = lambda name, source: helper.make_graph(  # noqa: E731
            [helper.make_node("Identity", [source], [name])], name, [], [helper.make_tensor_value_info(name, TensorProto.FLOAT, None)])
        nodes = [helper.make_node("Conv", ["x", "w"], ["y"], pads=[1] * 4), helper.make_node("Mul", ["y", "k"], ["yk"]),
                 helper.make_node("If", ["flag"], ["o"], then_branch=branch("t", "y"), else_branch=branch("e", "yk"))]
        inputs.append(helper.make_tensor_value_info("flag", TensorProto.BOOL, []))
        feed["flag"] = np.array(True)
        weights = [w, scalar("k", 2.0)]
    elif kind == "overridable weights":
        nodes = [helper.make_node("Conv", ["x", "w"], ["y"], pads=[1] * 4), helper.make_node("Mul", ["y", "k"], ["o"])]
        weights = [w, scalar("k", 2.0)]
        inputs += [helper.make_tensor_value_info("w", TensorProto.FLOAT, [4, 3, 3, 3]), helper.make_tensor_value_info("k", TensorProto.FLOAT, [1])]
    else:  # float64 hardswish: onnxruntime's CPU HardSigmoid takes float32 only
        f64 = lambda name, v: numpy_helper.from_array(np.array([v], np.float64), name)  # noqa: E731
        nodes = [helper.make_node("Add", ["x", "three"], ["s"]), helper.make_node("Clip", ["s", "zero", "six"], ["c"]),
                 helper.make_node("Mul", ["x", "c"], ["m"]), helper.make_node("Div", ["m", "six"], ["o"])]
        weights = [f64("three", 3), f64("six", 6), numpy_helper.from_array(np.array(0, np.float64), "zero")]
        inputs = [helper.make_tensor_value_info("x", TensorProto.DOUBLE, [1, 3, 8, 8])]
        out = [helper.make_tensor_value_info("o", TensorProto.DOUBLE, None)]
        feed = {"x": x}
    graph = helper.make_graph(nodes, kind, inputs, out, weights)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), feed


@pytest.mark.parametrize("kind", ["control flow", "overridable weights", "float64"])
def test_graphs_outside_the_rewrites_still_compute_the_same(tmp_path, kind):
    model, feed = graph_outside_the_rewrites(kind)
    path = tmp_path / "model.onnx"
    onnx.save(model, path)

    def answers(source) -> tuple[list[str], list[str], list[np.ndarray]]:
        session = ort.InferenceSession(source, providers=["CPUExecutionProvider"])
        overridable = sorted(i.name for i in session.get_overridable_initializers())
        return sorted(i.name for i in session.get_inputs()), overridable, session.run(None, feed)

    inputs, overridable, outputs = answers(streamlined(path).SerializeToString())
    inputs_before, overridable_before, outputs_before = answers(str(path))
    assert (inputs, overridable) == (inputs_before, overridable_before)
    for ours, theirs in zip(outputs, outputs_before, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-5)
