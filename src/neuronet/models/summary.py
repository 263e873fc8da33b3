"""``model.summary()`` in Keras' classic table layout (line length 65, columns at 29 and 55).

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
"""
from __future__ import annotations

LINE_LENGTH = 65
POSITIONS = (29, 55, 65)


def _row(fields) -> str:
    line = ""
    for field, stop in zip(fields, POSITIONS):
        if line:
            line = line[:-1] + " "
        line = (line + str(field))[:stop]
        line += " " * (stop - len(line))
    return line.rstrip()


def summary_text(model) -> str:
    layers = model.layers
    lines = [f'Model: "{model.name}"', "_" * LINE_LENGTH,
             _row(("Layer (type)", "Output Shape", "Param #")), "=" * LINE_LENGTH]
    for i, layer in enumerate(layers):
        shape = str((None, *layer.output_shape)) if layer.built else "(unbuilt)"
        lines.append(_row((f"{layer.name} ({type(layer).__name__})", shape, layer.count_params())))
        lines.append("=" * LINE_LENGTH if i == len(layers) - 1 else "_" * LINE_LENGTH)
    if not layers:
        lines.append("=" * LINE_LENGTH)
    trainable = sum(l.count_params() for l in layers if l.trainable) - sum(
        sum(s.size for s in l.states.values()) for l in layers if l.trainable)
    total = sum(l.count_params() for l in layers)
    lines += [f"Total params: {total:,}", f"Trainable params: {trainable:,}",
              f"Non-trainable params: {total - trainable:,}", "_" * LINE_LENGTH]
    return "\n".join(lines)
