"""``plot_model``: a picture of a model's graph of layers, drawn with matplotlib (no Graphviz needed), as
Keras' ``keras.utils.plot_model``.

    >>> # from neuronet.utils import plot_model
    >>> # plot_model(model, to_file="model.png", show_shapes=True)

One box per layer (its name and type; with ``show_shapes`` its input and output shapes), one arrow per
connection (a layer call's input), laid out top-down by depth: a layer sits one row below the deepest
layer feeding it, so every arrow of a graph points down (``rankdir="LR"``: left to right). A nested model
is one box. The file is written atomically; the format follows the extension (png, pdf, svg).
"""
from __future__ import annotations

import io
import os
import sys

_CHAR_W, _LINE_H, _PAD, _ROW_GAP, _COL_GAP, _MARGIN = 0.075, 0.17, 0.12, 0.45, 0.3, 0.2


def _shape_text(shape):
    if isinstance(shape, list):
        return "[" + ", ".join(str((None, *s)) for s in shape) + "]"
    return str((None, *shape))


class _InputBox:
    """A Sequential's input, drawn as Keras draws it (an InputLayer box) without creating a layer."""

    def __init__(self, name, shape):
        self.name, self.output_sample_shape, self.trainable, self.dtype = name, tuple(shape), True, None


def _type_name(layer):
    """The type shown in the box, as in the summary: Keras calls a functional model's type Functional."""
    if isinstance(layer, _InputBox):
        return "InputLayer"
    name = type(layer).__name__
    return "Functional" if name == "Model" and getattr(layer, "graph", None) is not None else name


def _is_input(layer):
    return isinstance(layer, _InputBox) or type(layer).__name__ == "InputLayer"


def _label(layer, show_shapes, show_dtype, show_layer_names, show_layer_activations, show_trainable):
    lines = [f"{layer.name} ({_type_name(layer)})" if show_layer_names else _type_name(layer)]
    if show_dtype:
        lines.append(f"dtype: {layer.dtype}")
    if show_layer_activations and getattr(layer, "activation", None) is not None:
        activation = layer.activation
        lines.append(f"activation: {getattr(activation, '__name__', None) or type(activation).__name__}")
    if show_shapes:
        out = layer.output_sample_shape
        lines.append(f"input: {_shape_text(out if _is_input(layer) else layer.input_sample_shape)}")
        lines.append(f"output: {_shape_text(out)}")
    if show_trainable:
        lines.append(f"trainable: {'Y' if layer.trainable else 'N'}")
    return lines


def _structure(model):
    """(layers, edges): every layer once (inputs included), in an order that puts each after the layers
    feeding it, and (producer, consumer) pairs, one per connection."""
    graph = getattr(model, "graph", None)
    if graph is not None:
        layers = list(dict.fromkeys(n.layer for n in graph.nodes))
        edges = [(t.node.layer, n.layer) for n in graph.nodes for t in n.inputs]
        return layers, edges
    if not hasattr(model, "add"):
        raise ValueError(f"plot_model draws a Sequential or a functional Model; {type(model).__name__} is a "
                         "subclassed model, whose connections are Python code in call(). Write it as a "
                         "functional Model to plot it.")
    layers = [_InputBox(f"{model.layers[0].name}_input", model.sample_shape), *model.layers]
    return layers, list(zip(layers, layers[1:]))


def _depths(layers, edges):
    depth = {layer: 0 for layer in layers}
    for producer, consumer in edges:          # edges follow the topological order of the calls
        depth[consumer] = max(depth[consumer], depth[producer] + 1)
    for layer in layers:                      # an input sits just above its first consumer (shorter arrows)
        below = [depth[c] for p, c in edges if p is layer]
        if not any(c is layer for _, c in edges) and below:
            depth[layer] = min(below) - 1
    return depth


def plot_model(model, to_file="model.png", show_shapes=False, show_dtype=False, show_layer_names=True,
               rankdir="TB", expand_nested=False, dpi=200, show_layer_activations=False,
               show_trainable=False):
    """Draw ``model``'s layers and connections to ``to_file``. In a notebook, returns an
    ``IPython.display.Image`` of the file (as Keras); otherwise None."""
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyBboxPatch
    from neuronet.utils.atomic import atomic_write
    if rankdir not in ("TB", "LR"):
        raise ValueError(f"plot_model: rankdir must be 'TB' (top to bottom) or 'LR' (left to right); "
                         f"received rankdir={rankdir!r}.")
    if expand_nested:
        raise ValueError("plot_model: expand_nested=True is not supported; a nested model is drawn as one box "
                         "(plot the nested model on its own to see its layers). Pass expand_nested=False.")
    if not getattr(model, "built", False):
        raise ValueError("plot_model: the model has not yet been built, so its layers have no shapes. Build it "
                         "(model.build(input_shape), or give the first layer input_shape=...) first.")
    ext = os.path.splitext(os.fspath(to_file))[1].lower().lstrip(".") or "png"
    if ext not in ("png", "pdf", "svg", "jpg", "jpeg"):
        raise ValueError(f"plot_model: cannot write a {ext!r} file; to_file must end in .png, .pdf, .svg or "
                         f".jpg. Received to_file={to_file!r}.")
    layers, edges = _structure(model)
    depth = _depths(layers, edges)
    labels = {l: _label(l, show_shapes, show_dtype, show_layer_names, show_layer_activations, show_trainable)
              for l in layers}
    rows = {}
    for layer in layers:
        rows.setdefault(depth[layer], []).append(layer)
    box_w = max(len(line) for lines in labels.values() for line in lines) * _CHAR_W + 2 * _PAD
    box_h = max(len(lines) for lines in labels.values()) * _LINE_H + 2 * _PAD
    across = max(len(row) for row in rows.values())
    if rankdir == "TB":
        width = across * box_w + (across - 1) * _COL_GAP + 2 * _MARGIN
        height = len(rows) * box_h + (len(rows) - 1) * _ROW_GAP + 2 * _MARGIN
    else:
        width = len(rows) * box_w + (len(rows) - 1) * _ROW_GAP + 2 * _MARGIN
        height = across * box_h + (across - 1) * _COL_GAP + 2 * _MARGIN
    centre = {}
    for d, row in rows.items():
        for i, layer in enumerate(row):
            if rankdir == "TB":
                span = len(row) * box_w + (len(row) - 1) * _COL_GAP
                x = (width - span) / 2 + i * (box_w + _COL_GAP) + box_w / 2
                y = height - _MARGIN - d * (box_h + _ROW_GAP) - box_h / 2
            else:
                span = len(row) * box_h + (len(row) - 1) * _COL_GAP
                x = _MARGIN + d * (box_w + _ROW_GAP) + box_w / 2
                y = height - (height - span) / 2 - i * (box_h + _COL_GAP) - box_h / 2
            centre[layer] = (x, y)

    fig = Figure(figsize=(width, height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.axis("off")
    for layer, (x, y) in centre.items():
        ax.add_patch(FancyBboxPatch((x - box_w / 2, y - box_h / 2), box_w, box_h,
                                    boxstyle="round,pad=0,rounding_size=0.05", facecolor="#eef3fb",
                                    edgecolor="#34495e", linewidth=1))
        ax.text(x, y, "\n".join(labels[layer]), ha="center", va="center", family="monospace", fontsize=8,
                linespacing=1.4)
    incoming = {}
    for i, (_, consumer) in enumerate(edges):
        incoming.setdefault(consumer, []).append(i)
    for i, (producer, consumer) in enumerate(edges):
        (x0, y0), (x1, y1) = centre[producer], centre[consumer]
        k, n = incoming[consumer].index(i), len(incoming[consumer])
        shift = (k - (n - 1) / 2) / max(n, 1)         # several inputs meet the box side by side, in order
        if rankdir == "TB":
            start, end = (x0, y0 - box_h / 2), (x1 + shift * box_w / 2, y1 + box_h / 2)
        else:
            start, end = (x0 + box_w / 2, y0), (x1 - box_w / 2, y1 - shift * box_h / 2)
        ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "-|>", "color": "#34495e",
                                                           "linewidth": 1, "shrinkA": 0, "shrinkB": 1})
    buf = io.BytesIO()
    fig.savefig(buf, format=ext, dpi=dpi)
    atomic_write(os.fspath(to_file), lambda fh: fh.write(buf.getbuffer()))
    if "ipykernel" in sys.modules and ext in ("png", "jpg", "jpeg"):
        from IPython.display import Image
        return Image(filename=os.fspath(to_file))
    return None
