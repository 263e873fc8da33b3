"""plot_model: a PNG (or PDF/SVG) of the graph, written atomically, with a top-down layout by depth."""
import os
import struct

import pytest

from neuronet.layers import Concatenate, Dense, Input
from neuronet.models import Model, Sequential
from neuronet.utils import plot_model
from neuronet.utils.model_plot import _depths, _structure


def _wide_and_deep():
    wide, deep = Input(shape=(5,), name="wide"), Input(shape=(6,), name="deep")
    h1 = Dense(30, activation="relu", name="h1")(deep)
    h2 = Dense(30, activation="relu", name="h2")(h1)
    return Model([wide, deep], Dense(1, name="out")(Concatenate(name="concat")([wide, h2])))


def _png_size(path):
    data = open(path, "rb").read(24)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_a_png_is_written_atomically_and_grows_with_the_graph(tmp_path):
    path = tmp_path / "model.png"
    assert plot_model(_wide_and_deep(), to_file=path, show_shapes=True, dpi=50) is None
    width, height = _png_size(path)
    assert os.listdir(tmp_path) == ["model.png"]         # no temporary file left
    chain = Sequential([Dense(3, input_shape=(4,)), Dense(1)])
    plot_model(chain, to_file=tmp_path / "chain.png", dpi=50)
    chain_width, chain_height = _png_size(tmp_path / "chain.png")
    assert width > chain_width and height > chain_height    # two columns and four rows against one and three


def test_every_arrow_points_down_a_row_or_more():
    layers, edges = _structure(_wide_and_deep())
    depth = _depths(layers, edges)
    assert len(edges) == 5 and all(depth[c] > depth[p] for p, c in edges)
    names = {l.name: depth[l] for l in layers}
    assert names == {"deep": 0, "h1": 1, "h2": 2, "wide": 2, "concat": 3, "out": 4}


@pytest.mark.parametrize("ext, magic", [("pdf", b"%PDF"), ("svg", b"<?xml")])
def test_other_formats_follow_the_extension(tmp_path, ext, magic):
    path = tmp_path / f"model.{ext}"
    plot_model(_wide_and_deep(), to_file=path, rankdir="LR", show_dtype=True, show_trainable=True,
               show_layer_activations=True)
    assert path.read_bytes().startswith(magic)


def test_bad_arguments_and_unplottable_models_are_clear_errors(tmp_path):
    model = _wide_and_deep()
    with pytest.raises(ValueError, match="rankdir"):
        plot_model(model, to_file=tmp_path / "m.png", rankdir="BT")
    with pytest.raises(ValueError, match="to_file"):
        plot_model(model, to_file=tmp_path / "m.gif")
    with pytest.raises(ValueError, match="not yet been built"):
        plot_model(Sequential([Dense(2)]), to_file=tmp_path / "m.png")

    class Sub(Model):
        def __init__(self):
            super().__init__()
            self.d = Dense(1)

        def call(self, x, training=False):
            return self.d(x)
    sub = Sub()
    sub.build((3,))
    with pytest.raises(ValueError, match="subclassed"):
        plot_model(sub, to_file=tmp_path / "m.png")
    assert not any(p.suffix == ".png" for p in tmp_path.iterdir())
