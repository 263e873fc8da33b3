"""``model.summary()`` in Keras' classic table layouts.

A Sequential, a subclassed model and a functional model whose graph is a plain chain print the chain layout
(line length 65, columns ending at 29, 55 and 65; a functional chain lists its InputLayer first):

    Model: "sequential"
    _________________________________________________________________
    Layer (type)                 Output Shape              Param #
    =================================================================
    dense (Dense)                (None, 64)                1984
    _________________________________________________________________
    ...
    =================================================================
    Total params: 4,097
    Trainable params: 4,097
    Non-trainable params: 0
    _________________________________________________________________

Any other graph (several inputs, a merge, a shared layer, fan-out) adds Keras' "Connected to" column (line
length 98, columns ending at 32, 53, 65 and 98): each call of a layer inside the model lists the layer calls
feeding it as ``name[node_index][tensor_index]``, one per line, where node_index counts that layer's calls in
the model. A nested model is one row, of type ``Functional`` or ``Sequential``.
"""
from __future__ import annotations

LINE_LENGTH = 65
POSITIONS = (29, 55, 65)
GRAPH_LINE_LENGTH = 98
GRAPH_POSITIONS = (32, 53, 65, 98)


def _row(fields, positions=POSITIONS) -> str:
    line = ""
    for field, stop in zip(fields, positions):
        if line:
            line = line[:-1] + " "
        line = (line + str(field))[:stop]
        line += " " * (stop - len(line))
    return line.rstrip()


def _type_name(layer) -> str:
    from neuronet.models.model import Model
    if type(layer) is Model:
        return "Functional" if layer.graph is not None else "Model"
    return type(layer).__name__


def _shape(layer) -> str:
    from neuronet.layers import InputLayer
    if not layer.built:
        return "(unbuilt)"
    shape = layer.output_sample_shape
    if isinstance(shape, list):
        return str([(None, *s) for s in shape])
    if isinstance(layer, InputLayer):
        return str([(None, *shape)])           # Keras lists an InputLayer's output
    return str((None, *shape))


def _is_chain(graph) -> bool:
    """Keras' test for the chain layout: one call per depth, each call fed by one tensor, no layer called
    twice."""
    layers = [n.layer for n in graph.nodes]
    if len(graph.inputs) != 1 or len(graph.outputs) != 1 or len(set(map(id, layers))) != len(layers):
        return False
    fed = [t.id for n in graph.nodes for t in n.inputs]
    return all(len(n.inputs) <= 1 for n in graph.nodes) and len(fed) == len(set(fed))


def _table(rows, positions, line_length, header):
    """rows: lists of lines (each a tuple of fields); one block per layer, separated as Keras does."""
    lines = [_row(header, positions), "=" * line_length]
    for i, block in enumerate(rows):
        lines += [_row(fields, positions) for fields in block]
        lines.append("=" * line_length if i == len(rows) - 1 else "_" * line_length)
    if not rows:
        lines.append("=" * line_length)
    return lines


def _graph_rows(graph, chain):
    rows = []
    for layer in dict.fromkeys(n.layer for n in graph.nodes):
        fields = (f"{layer.name} ({_type_name(layer)})", _shape(layer), layer.count_params())
        if chain:
            rows.append([fields])
            continue
        connections = []
        for node in (n for n in graph.nodes if n.layer is layer):
            for t in node.inputs:
                producer = t.node
                calls = [n for n in graph.nodes if n.layer is producer.layer]
                connections.append(f"{producer.layer.name}[{calls.index(producer)}][0]")
        rows.append([(*fields, connections[0] if connections else "")] +
                    [("", "", "", c) for c in connections[1:]])
    return rows


def summary_text(model) -> str:
    from neuronet.models.model import leaf_layers
    graph = getattr(model, "graph", None)
    chain = graph is None or _is_chain(graph)
    if graph is None:
        rows = [[(f"{l.name} ({_type_name(l)})", _shape(l), l.count_params())] for l in model.layers]
    else:
        rows = _graph_rows(graph, chain)
    if chain:
        table = _table(rows, POSITIONS, LINE_LENGTH, ("Layer (type)", "Output Shape", "Param #"))
        width = LINE_LENGTH
    else:
        table = _table(rows, GRAPH_POSITIONS, GRAPH_LINE_LENGTH,
                       ("Layer (type)", "Output Shape", "Param #", "Connected to"))
        width = GRAPH_LINE_LENGTH
    leaves = list(leaf_layers(model.layers))
    total = sum(l.count_params() for l in leaves)
    trainable = sum(l.count_params() - sum(s.size for s in l.states.values()) for l in leaves if l.trainable)
    lines = [f'Model: "{model.name}"', "_" * width, *table,
             f"Total params: {total:,}", f"Trainable params: {trainable:,}",
             f"Non-trainable params: {total - trainable:,}", "_" * width]
    return "\n".join(lines)
