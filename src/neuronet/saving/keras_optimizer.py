"""The optimizer state as Keras 3 lays out its variables in ``model.weights.h5`` (``optimizer/vars/<i>``:
iterations, learning_rate unless a schedule sets it, then the slots), both ways, for the optimizers whose
slots mean the same in Keras and neuronet (SGD's momentum, Adam's m and v, RMSprop's velocity, momentum
and average gradient). neuronet keeps one flat slot array per name over all trainable weights; Keras one
per weight, interleaved: Adam writes m0, v0, m1, v1, ... then the AMSGrad maxima.

    >>> # arrays.update(keras_optimizer_arrays(model)); state = keras_optimizer_state(model, arrays)
"""
from __future__ import annotations

import numpy as np

from neuronet.saving.save import leaf_layers

# Keras 3's optimizer variables after `iterations` (and `learning_rate` unless a schedule sets it): groups
# of slots, each interleaved over the trainable variables (m0, v0, m1, v1, ... then v_hat0, v_hat1, ...).
KERAS_OPTIMIZER_SLOTS = {"SGD": (("velocity",),), "Adam": (("m", "v"), ("v_max",)),
                         "RMSprop": (("velocity",), ("momentum",), ("average_gradient",))}


def trainable_sizes(model):
    """(shape, size) of each weight the optimizer updates, in its order: the trainable layers' params
    (Keras' ``model.trainable_variables``)."""
    return [(w.shape, w.size) for layer in leaf_layers(model.layers) if layer.trainable for w in layer.params.values()]


def keras_optimizer_arrays(model):
    """The optimizer's state as Keras 3 lays out its variables (``optimizer/vars/<i>``), for the
    optimizers whose slots mean the same in both (SGD, Adam, RMSprop); {} for the others."""
    optimizer = model.optimizer
    groups = KERAS_OPTIMIZER_SLOTS.get(type(optimizer).__name__)
    state = optimizer.get_state()
    shapes = trainable_sizes(model)
    if groups is None or (state["slots"] and list(state["slots"]) not in (["0"], [0])):
        return {}
    # before the first step the slots are their zeros, as Keras' built optimizer holds them
    flat = next(iter(state["slots"].values())) if state["slots"] else \
        {name: np.zeros(sum(n for _, n in shapes), model.dtype) for name in optimizer.slot_names}
    if any(flat[name].size != sum(n for _, n in shapes) for name in flat):
        return {}
    values = [np.asarray(state["iterations"], dtype="int64")]
    if optimizer.schedule is None:
        values.append(np.asarray(optimizer.learning_rate, dtype=model.dtype))
    for group in groups:
        if not all(name in flat for name in group):
            continue
        start = 0
        parts = {name: [] for name in group}
        for shape, size in shapes:
            for name in group:
                parts[name].append(flat[name][start:start + size].reshape(shape))
            start += size
        for i in range(len(shapes)):
            values.extend(parts[name][i] for name in group)
    return {f"optimizer/vars/{i}": v for i, v in enumerate(values)}


def keras_optimizer_state(model, arrays):
    """neuronet's optimizer state from Keras 3's ``optimizer/vars/<i>`` (iterations, learning_rate,
    then slot groups interleaved over the trainable variables: see KERAS_OPTIMIZER_SLOTS); None
    when the optimizer or the variable count does not map."""
    optimizer = model.optimizer
    keys = [f"optimizer/vars/{i}" for i in range(sum(k.startswith("optimizer/vars/") for k in arrays))]
    groups = KERAS_OPTIMIZER_SLOTS.get(type(optimizer).__name__)
    if not keys or groups is None or any(k not in arrays for k in keys):
        return None
    values = [arrays[k] for k in keys]
    shapes = trainable_sizes(model)
    groups = [g for g in groups if all(name in optimizer.slot_names for name in g)]
    head = 1 if optimizer.schedule is not None else 2
    if len(values) != head + sum(len(g) for g in groups) * len(shapes) or values[0].size != 1:
        return None
    state = {"iterations": int(values[0].reshape(())), "slots": {}}
    if head == 2:
        state["learning_rate"] = float(values[1].reshape(()))
    i, slots = head, {}
    for group in groups:
        parts = {name: [] for name in group}
        for shape, size in shapes:
            for name in group:
                if values[i].size != size:
                    return None
                parts[name].append(values[i].reshape(-1).astype(model.dtype))
                i += 1
        slots.update({name: np.concatenate(p) if p else np.zeros(0, model.dtype) for name, p in parts.items()})
    if slots:
        state["slots"] = {"0": slots}
    return state


__all__ = ["KERAS_OPTIMIZER_SLOTS", "trainable_sizes", "keras_optimizer_arrays", "keras_optimizer_state"]
