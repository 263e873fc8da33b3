"""The checks and conversions of fit / evaluate / predict's data, with messages that say how to fix it:
x against the model's input shape, y against its output and loss, per-sample weights, the validation
split.
"""
from __future__ import annotations

import numpy as np

from neuronet.models.multi_array import MultiArray
from neuronet.models.sparse_rows import SparseRows, is_sparse
from neuronet.utils.user_warning import warn
from neuronet.utils.validation import check_consistent_length, to_array

# ---- data preparation ---------------------------------------------------------------------------------
def prepare_x(model, x, name="x", convert=True):
    """``x`` as an array of the model's dtype, checked for shape and non-finite values (for a model with
    several inputs: a list, or a dict keyed by the inputs' names, of such arrays, as a MultiArray). With
    convert=False (predict) it is neither copied nor scanned here: predict converts and checks it chunk by
    chunk, so memory grows with the chunk, not the data (memory-mapped inputs stay on disk)."""
    if model.built and isinstance(model.sample_shape, list):
        return _prepare_inputs(model, x, name, convert)
    if isinstance(x, (list, tuple, dict)) and len(x) and not np.isscalar(next(iter(x))) and \
            all(hasattr(v, "shape") for v in (x.values() if isinstance(x, dict) else x)):
        raise ValueError(f"`{name}` is a {type(x).__name__} of {len(x)} arrays, but the model has one input: pass "
                         f"one array of shape (n_samples, ...).")
    if is_sparse(x):
        x = _sparse_rows(x, name, model.dtype if (model.built and convert) else None, check=convert)
    else:
        x = to_array(x, name, dtype=model.dtype if (model.built and convert) else None, allow_nan=not convert)
        if x.ndim == 1 and (not model.built or tuple(model.sample_shape) == (1,)):
            x = x.reshape(-1, 1)          # Keras: 1-D x is one feature per sample, a column
    if not model.built:
        if x.ndim < 2:
            raise ValueError(f"Expected 2D array for `{name}`, got 1D array of shape {x.shape}. Reshape your "
                             f"data either using array.reshape(-1, 1) if it has a single feature or "
                             f"array.reshape(1, -1) if it contains a single sample.")
        model.build(x.shape[1:])
        if convert:                      # checked again in the model's dtype (a float64 beyond float32's range)
            x = _sparse_rows(x.matrix, name, model.dtype, check=True) if isinstance(x, SparseRows) else \
                to_array(x, name, dtype=model.dtype)
    expected = model.sample_shape
    if x.shape[1:] != expected:
        if x.ndim == 1 or x.ndim != len(expected) + 1:
            raise ValueError(f"`{name}` has shape {x.shape} ({x.ndim}-D), but the model expects samples of "
                             f"shape {expected}, i.e. an array of shape (n_samples, {', '.join(map(str, expected))}). "
                             "Reshape your data (a single sample: x.reshape(1, -1)).")
        raise ValueError(f"`{name}` has {x.shape[1:]} features per sample, but the model was built for samples of "
                         f"shape {expected} (model.input_shape={model.input_shape}). Pass `{name}` of shape (n_samples, "
                         f"{', '.join(map(str, expected))}) with the columns the model was built on, or build a new "
                         f"model whose first layer has input_shape={x.shape[1:]}.")
    return x


def _one_per_name(value, names, name, what):
    """``value`` (a list, or a dict keyed by ``names``) as a list in the order of ``names``: one array per
    model input or output, with missing, extra and miscounted entries refused."""
    if len(names) == 1 and not isinstance(value, (list, tuple, dict)):
        value = [value]                # Model(inputs=[a], outputs=[b]) takes one array, as Keras
    if isinstance(value, dict):
        missing, extra = [n for n in names if n not in value], [k for k in value if k not in names]
        if missing or extra:
            raise ValueError(f"`{name}` must have one array per model {what} {names}; missing {missing}, "
                             f"unexpected {extra}.")
        value = [value[n] for n in names]
    if not isinstance(value, (list, tuple)) or len(value) != len(names):
        got = f"a {type(value).__name__} of {len(value)}" if isinstance(value, (list, tuple)) else \
            f"one {type(value).__name__}"
        raise ValueError(f"The model has {len(names)} {what}s {names}: pass `{name}` as a list of {len(names)} "
                         f"arrays (or a dict keyed by those names); received {got}.")
    return value


def _sparse_rows(x, name, dtype, check):
    """A 2-D SciPy sparse ``x`` (CSR or CSC) as SparseRows of ``dtype``: kept sparse, densified a batch at
    a time (see neuronet.models.sparse_rows). With ``check``, NaN, inf and values beyond ``dtype``'s range
    are refused, naming the first row."""
    if x.ndim != 2 or x.shape[0] == 0 or x.format not in ("csr", "csc"):
        raise ValueError(f"`{name}` is a sparse {x.format} matrix of shape {x.shape}; neuronet accepts 2-D CSR or "
                         "CSC matrices with at least one row. Convert it with x.tocsr().")
    if x.dtype.kind not in "biuf":
        raise TypeError(f"`{name}` is a sparse matrix of dtype {x.dtype}; neuronet accepts real numbers only.")
    given = SparseRows(x)
    with np.errstate(over="ignore"):
        rows = given if dtype is None else given.astype(dtype)
    if check and rows.data.dtype.kind == "f":
        bad = ~np.isfinite(rows.data)
        if bad.any():
            first = int(np.argmax(bad))
            row = int(np.searchsorted(rows.matrix.indptr, first, side="right")) - 1
            value = given.data[first]
            what = f"a value out of {rows.dtype} range ({float(value)!r})" if np.isfinite(value) else \
                f"{int(bad.sum())} NaN or inf stored value(s)"
            raise ValueError(f"`{name}` (a sparse matrix) has {what}, the first in row {row}. Remove or impute "
                             "them first (e.g. sklearn.impute.SimpleImputer), or rescale the column.")
    return rows


def _prepare_inputs(model, x, name, convert):
    """The arrays of a model with several inputs, in the order of its inputs (a dict is read by input
    name), each checked as ``prepare_x`` checks one."""
    names = model.input_names
    x = _one_per_name(x, names, name, "input")
    arrays = []
    for i, (value, shape) in enumerate(zip(x, model.sample_shape)):
        a = to_array(value, f"{name}[{i}]", dtype=model.dtype if convert else None, allow_nan=not convert)
        if a.shape[1:] != tuple(shape):
            raise ValueError(f"`{name}[{i}]` (input {names[i]!r}) has samples of shape {a.shape[1:]}; the model "
                             f"expects {tuple(shape)}, i.e. an array of shape (n_samples, {', '.join(map(str, shape))}).")
        arrays.append(a)
    check_consistent_length(**{f"{name}[{i}]": a for i, a in enumerate(arrays)})
    return MultiArray(arrays)


def prepare_y(model, y, n_samples, name="y"):
    """``y`` checked against the model's output and loss (for several outputs: a list, or a dict keyed by
    the outputs' names, each checked against its output and loss; a MultiArray)."""
    if model.several_outputs:
        names = model.output_names
        y = _one_per_name(y, names, name, "output")
        return MultiArray([_prepare_one_y(loss, shape, model.dtype, value, n_samples, f"{name}[{out!r}]")
                           for loss, shape, value, out in zip(model.loss.losses, model.output_sample_shape, y, names)])
    return _prepare_one_y(model.loss, model.output_sample_shape, model.dtype, y, n_samples, name)


def _prepare_one_y(loss, out_shape, dtype, y, n_samples, name):
    y = to_array(y, name)
    check_consistent_length(**{"x": np.empty(n_samples), name: y})
    from neuronet.losses import BinaryCrossentropy, SparseCategoricalCrossentropy
    if isinstance(loss, SparseCategoricalCrossentropy):       # subclasses too
        labels = y.reshape(-1) if (y.ndim == 2 and y.shape[1] == 1) else y
        if labels.ndim != 1:
            raise ValueError(f"`{name}` for sparse_categorical_crossentropy must be one integer label per "
                             f"sample (shape (n,)); received shape {y.shape}. For one-hot targets use "
                             "loss='categorical_crossentropy'.")
        k = out_shape[-1]
        bad = (labels < 0) | (labels >= k) | (labels != np.round(labels))
        if bad.any():
            raise ValueError(f"`{name}` holds labels outside [0, {k}) for a {k}-unit output: "
                             f"{np.unique(labels[bad])[:5].tolist()}. Encode classes as 0..{k - 1} "
                             "(sklearn.preprocessing.LabelEncoder).")
        return labels.astype(np.int64)
    if isinstance(loss, BinaryCrossentropy):
        check_binary_targets(loss, y, name)
    y = y.astype(dtype, copy=False)
    if y.ndim == 1 and out_shape == (1,):
        y = y.reshape(-1, 1)
    if y.shape[1:] != out_shape:
        hint = (" For integer class labels use loss='sparse_categorical_crossentropy', or one-hot encode y."
                if y.ndim == 1 else "")
        raise ValueError(f"`{name}` has shape {y.shape}, but the model's output has shape (n, "
                         f"{', '.join(map(str, out_shape))}).{hint}")
    return y


# Rounding slack of check_binary_targets: p_a + p_b + p_c of a probability row exceeds 1 by an ulp in about
# 7% of rows (float64); float32 sums by a few 1e-7. Labels it exists to catch (2, -1, 255) are far outside.
BINARY_TARGET_SLACK = 1e-5


def check_binary_targets(loss, y, name="y"):
    """Binary cross-entropy's targets are probabilities: 0/1 labels, or soft labels in [0, 1]. Labels
    0..k-1 of k > 2 classes (or -1/1) would train silently towards a negative loss. Checked once per
    fit/evaluate in prepare_y, two vectorized reductions: the training step is not touched. Values within
    BINARY_TARGET_SLACK of [0, 1] pass: soft labels built as sums of probabilities land a few ulps past 1."""
    low, high = -BINARY_TARGET_SLACK, 1 + BINARY_TARGET_SLACK
    if np.min(y) >= low and np.max(y) <= high:
        return
    found = np.unique(y)
    outside = found[(found < low) | (found > high)]
    k = len(found) if len(found) <= 100 and np.array_equal(found, np.arange(len(found))) else None
    k, last = (k, k - 1) if k else ("k", "k-1")
    raise ValueError(
        f"`{name}` for loss {loss.name!r} must hold targets in [0, 1] (0/1 labels or probabilities); "
        f"received values outside it: {_first_values(outside)} (distinct values in `{name}`: "
        f"{_first_values(found)}). Binary cross-entropy needs 0/1 targets (map -1/1 labels to 0/1 with "
        f"(y + 1) / 2); for {k} classes end the model with Dense({k}, activation='softmax') and use "
        f"loss='sparse_categorical_crossentropy' with integer labels 0..{last}.")


def _first_values(values, n=6):
    shown = values[:n].tolist()
    return f"{shown}" if len(values) <= n else f"{str(shown)[:-1]}, ... ({len(values)} in all)]"


def check_output_setup(model):
    """Warn (once: compile and fit call it when the model is built and compiled) about an output that
    cannot learn: a softmax over an axis of size 1 is always 1, and a categorical cross-entropy over one
    unit is constant (its normalized prediction is 1), so the loss never moves and nothing says why."""
    from neuronet import activations
    from neuronet.layers.advanced_activations import Softmax
    from neuronet.losses import CategoricalCrossentropy
    problems = []
    for layer in model.layers:
        shape = (None, *layer.output_shape)
        axis = layer.axis if isinstance(layer, Softmax) else -1
        softmax = isinstance(layer, Softmax) or getattr(layer, "activation", None) is activations.softmax
        if softmax and -len(shape) <= axis < len(shape) and shape[axis] == 1:
            problems.append(f"Layer {layer.name!r} applies a softmax over axis {axis} of size 1 (output "
                            f"shape {shape}): the softmax of a single value is always 1, so its output is "
                            "constant and nothing before it learns. Did you mean to use a sigmoid instead?")
    units = None if model.several_outputs else model.output_sample_shape[-1]
    if isinstance(model.loss, CategoricalCrossentropy) and units == 1:          # sparse too
        problems.append(f"In loss {model.loss.name}, expected y_pred.shape to be (batch_size, num_classes) "
                        f"with num_classes > 1. Received: the model's output shape {model.output_shape}: "
                        "over one unit the loss is constant and nothing trains.")
    if problems:
        warn(" ".join(problems) + " For 2 classes end the model with Dense(1, activation='sigmoid') and use "
             "loss='binary_crossentropy' (0/1 labels); for k classes use Dense(num_classes, "
             "activation='softmax') with loss='sparse_categorical_crossentropy' (integer labels 0..k-1) or "
             "'categorical_crossentropy' (one-hot targets).")


def prepare_weights(model, y, n_samples, sample_weight=None, class_weight=None):
    """Per-sample weights from sample_weight and class_weight (their product), or None."""
    w = None
    if sample_weight is not None:
        w = to_array(sample_weight, "sample_weight").astype(np.float64).reshape(-1)
        check_consistent_length(x=np.empty(n_samples), sample_weight=w)
        if (w < 0).any():
            raise ValueError("`sample_weight` must be non-negative; received negative values.")
    if class_weight is not None:
        cw = _class_weights(model, y, class_weight)
        w = cw if w is None else w * cw
    return None if w is None else w.astype(model.dtype)


def _class_weights(model, y, class_weight):
    """Per-sample weights ``class_weight[label]`` (1 for a class it leaves out), after checking that the
    keys are class indices of the output (0 .. units - 1; 0 and 1 for one sigmoid unit) and the weights
    finite and >= 0. Nothing is allocated from a key: the lookup table has one entry per output class."""
    if not isinstance(class_weight, dict):
        raise ValueError("Received an invalid value for `class_weight`, expected a dict mapping class index to "
                         f"weight, e.g. {{0: 1.0, 1: 3.0}}. Received: class_weight={class_weight!r}")
    shape = model.output_sample_shape if model.built else None
    if isinstance(shape, list):
        raise ValueError("`class_weight` is only supported for models with a single output; pass "
                         "`sample_weight` per output instead.")
    n_classes = None if not shape else max(int(shape[-1]), 2)
    for key, weight in class_weight.items():
        if isinstance(key, (bool, np.bool_)) or not isinstance(key, (int, np.integer)) or key < 0 or \
                (n_classes is not None and key >= n_classes):
            accepted = f"0 to {n_classes - 1}" if n_classes is not None else "non-negative integers"
            raise ValueError(f"Received an invalid key in `class_weight`: keys are class indices ({accepted} for "
                             f"this model's output). Received: class_weight key {key!r}")
        if isinstance(weight, (bool, np.bool_)) or not isinstance(weight, (int, float, np.integer, np.floating)) \
                or not np.isfinite(weight) or weight < 0:
            raise ValueError("Received an invalid value in `class_weight`: weights must be finite numbers >= 0. "
                             f"Received: class_weight[{key!r}]={weight!r}")
    labels = _class_indices(y)
    if n_classes is None:             # an unbuilt model: no table, one comparison per key
        cw = np.ones(len(labels), dtype=np.float64)
        for key, weight in class_weight.items():
            cw[labels == key] = float(weight)
        return cw
    lookup = np.ones(n_classes, dtype=np.float64)
    for key, weight in class_weight.items():
        lookup[int(key)] = float(weight)
    inside = (labels >= 0) & (labels < n_classes)
    cw = np.ones(len(labels), dtype=np.float64)
    cw[inside] = lookup[labels[inside]]
    return cw


def _class_indices(y):
    """Each sample's class: the argmax of a one-hot row, else the rounded label (clipped to
    [-1, 2**62] first, so a huge or negative regression target casts without overflow)."""
    if y.ndim == 2 and y.shape[1] > 1:
        return np.argmax(y, axis=1)
    return np.clip(np.round(y.reshape(-1)), -1, 2.0 ** 62).astype(np.int64)


def split_validation(arrays, validation_split):
    """Keras' rule: the last ``validation_split`` fraction (taken before shuffling) validates."""
    n = len(arrays[0])
    split_at = int(np.floor(n * (1.0 - validation_split)))
    if split_at == 0 or split_at == n:
        raise ValueError(f"validation_split={validation_split} leaves {split_at} training and "
                         f"{n - split_at} validation samples out of {n}; choose a fraction that keeps both.")
    train = [None if a is None else a[:split_at] for a in arrays]
    val = [None if a is None else a[split_at:] for a in arrays]
    return train, val
