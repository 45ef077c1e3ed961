"""The recogniser graph rewrites (pipeline/ocr/rec_graph.py) change nothing but speed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from onnx import TensorProto, helper, numpy_helper

from pipeline.grid.lattice import page_to_tables
from pipeline.image.lines import detect_ruling_lines
from pipeline.image.rasterize import iter_pdf_pages
from pipeline.image.straighten import straighten
from pipeline.layout import PageLayout
from pipeline.ocr import create_engine
from pipeline.ocr.rec_graph import simplify_recognizer
from pipeline.read.scanned import cell_lines
from tests.ocr.render import render_line
from tests.ocr.test_engines import LINES, PARAGRAPH

CHANNELS = 4


def run(model: onnx.ModelProto, x: np.ndarray) -> np.ndarray:
    opts = ort.SessionOptions()
    opts.log_severity_level = 4
    session = ort.InferenceSession(model.SerializeToString(), opts, providers=["CPUExecutionProvider"])
    return session.run(None, {"x": x})[0]


def scalar(name: str, value: float) -> onnx.NodeProto:
    """A scalar as the Paddle export writes it: a Constant node, not an initializer."""
    return helper.make_node("Constant", [], [name], value=numpy_helper.from_array(np.array([value], np.float32)))


def lcnet_like_block(a1: float, c1: float, a2: float, c2: float, kernel: int, pad_next: bool,
                     seed: int) -> onnx.ModelProto:
    """conv → ·a1 + c1 → hard-swish as four nodes → ·a2 + c2 → conv (1×1, or k×k padded),
    at opset 12 like the shipped recogniser."""
    rng = np.random.default_rng(seed)
    w1 = rng.normal(size=(CHANNELS, 3, kernel, kernel)).astype(np.float32)
    b1 = rng.normal(size=CHANNELS).astype(np.float32)
    w2 = rng.normal(size=(CHANNELS, CHANNELS, 3 if pad_next else 1, 3 if pad_next else 1)).astype(np.float32)
    b2 = rng.normal(size=CHANNELS).astype(np.float32)
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], pads=[kernel // 2] * 4),
        scalar("a1", a1), helper.make_node("Mul", ["c1", "a1"], ["m1"]),
        scalar("k1", c1), helper.make_node("Add", ["m1", "k1"], ["h"]),
        scalar("three", 3.0), helper.make_node("Add", ["h", "three"], ["h3"]),
        scalar("zero", 0.0), scalar("six", 6.0),
        helper.make_node("Clip", ["h3", "zero", "six"], ["r6"]),
        helper.make_node("Mul", ["h", "r6"], ["hr"]),
        scalar("six_b", 6.0), helper.make_node("Div", ["hr", "six_b"], ["hs"]),
        scalar("a2", a2), helper.make_node("Mul", ["a2", "hs"], ["m2"]),
        scalar("k2", c2), helper.make_node("Add", ["m2", "k2"], ["lab"]),
        helper.make_node("Conv", ["lab", "w2", "b2"], ["y"], pads=[1] * 4 if pad_next else [0] * 4),
    ]
    graph = helper.make_graph(
        nodes, "block", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, None, None])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
        [numpy_helper.from_array(w1, "w1"), numpy_helper.from_array(b1, "b1"),
         numpy_helper.from_array(w2, "w2"), numpy_helper.from_array(b2, "b2")])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 12)])


finite = st.floats(-3, 3, allow_nan=False).filter(lambda v: abs(v) > 1e-3)


@settings(max_examples=25, deadline=None)
@given(a1=finite, c1=finite, a2=finite, c2=finite, kernel=st.sampled_from([1, 3, 5]),
       pad_next=st.booleans(), seed=st.integers(0, 2**16))
def test_rewritten_block_computes_the_same(a1: float, c1: float, a2: float, c2: float,
                                           kernel: int, pad_next: bool, seed: int) -> None:
    model = lcnet_like_block(a1, c1, a2, c2, kernel, pad_next, seed)
    x = np.random.default_rng(seed + 1).normal(size=(1, 3, 7, 11)).astype(np.float32)
    expected = run(model, x)
    simplified, counts = simplify_recognizer(model)
    assert counts == {"affine_into_conv": 1, "hard_swish": 1,
                      "affine_into_pointwise_conv": 0 if pad_next else 1, "free_input_height": 0}
    ops = [n.op_type for n in simplified.graph.node if n.op_type != "Constant"]
    assert ops == ["Conv", "HardSwish"] + (["Mul", "Add", "Conv"] if pad_next else ["Conv"])
    np.testing.assert_allclose(run(simplified, x), expected, rtol=1e-4, atol=1e-4 * np.abs(expected).max())


def test_a_fixed_input_height_is_freed() -> None:
    """As PP-OCRv6's recogniser is exported (height 48 written in): the rewritten graph
    takes other heights and computes the same at the exported one."""
    model = lcnet_like_block(0.5, 0.1, 2.0, -0.3, 3, True, seed=7)
    model.graph.input[0].type.tensor_type.shape.dim[2].dim_value = 7
    x7 = np.random.default_rng(1).normal(size=(1, 3, 7, 11)).astype(np.float32)
    x5 = x7[:, :, :5]
    with pytest.raises(Exception, match="dimension"):
        run(model, x5)
    simplified, counts = simplify_recognizer(model)
    assert counts["free_input_height"] == 1
    np.testing.assert_allclose(run(simplified, x7), run(model, x7), rtol=1e-4, atol=1e-4)
    assert run(simplified, x5).shape[2] == 5


def test_a_padded_convolution_keeps_the_affine_before_it() -> None:
    """Folding ·a + c into a zero-padded conv would change its borders: not done."""
    model = lcnet_like_block(0.5, 0.1, 1.5, 2.0, 3, pad_next=True, seed=0)
    simplified, counts = simplify_recognizer(model)
    assert counts["affine_into_pointwise_conv"] == 0
    assert sum(n.op_type == "Add" for n in simplified.graph.node) == 1


def test_shared_intermediate_is_not_fused() -> None:
    """A conv output read by a second node must survive: nothing is folded into it."""
    model = lcnet_like_block(0.5, 0.1, 1.5, 2.0, 1, pad_next=False, seed=0)
    model.graph.output.append(helper.make_tensor_value_info("c1", TensorProto.FLOAT, None))
    simplified, counts = simplify_recognizer(model)
    assert counts["affine_into_conv"] == 0
    assert "c1" in {o for n in simplified.graph.node for o in n.output}


@pytest.fixture(scope="module")
def engines():
    return (create_engine("rapidocr", threads=1, fuse_graph=False),
            create_engine("rapidocr", threads=1))


def test_shipped_recogniser_is_rewritten(engines) -> None:
    plain, fused = engines
    assert plain.graph_rewrites == {}
    # PP-OCRv4's recogniser: 28 hard-swishes, 28 conv affines, 12 before pointwise convs;
    # its input height is free as exported.
    assert fused.graph_rewrites == {"affine_into_conv": 28, "affine_into_pointwise_conv": 12,
                                    "hard_swish": 28, "free_input_height": 0}
    assert "graph fused" in fused.version()


def test_fused_recogniser_reads_as_the_shipped_one(engines, doc_path) -> None:
    """Same text and the same confidence (to 1e-4) on rendered lines and on every cell
    line of a committed scan, through both passes."""
    crops = [render_line(text, size=size) for text in LINES + PARAGRAPH for size in (24, 40)]
    page, _ = straighten(next(iter_pdf_pages(Path(doc_path("gd_fund-00003", "scan200-degraded.pdf")), 200)))
    layout = PageLayout(page=1, width=page.image.shape[1], height=page.image.shape[0], dpi=page.dpi,
                        segments=detect_ruling_lines(page.image, page.dpi))
    tables, _ = page_to_tables(layout)
    crops += cell_lines(page.image, tables, page.dpi)[1]
    assert len(crops) > 60
    plain, fused = engines
    for (text, conf), (text2, conf2) in zip(plain.recognize_lines(crops), fused.recognize_lines(crops)):
        assert text2 == text
        assert conf2 == pytest.approx(conf, abs=1e-4)
