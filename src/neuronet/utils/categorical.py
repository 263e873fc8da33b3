"""Class labels to one-hot rows, as ``keras.utils.to_categorical``.

    >>> from neuronet.utils import to_categorical
    >>> to_categorical([0, 2, 1])
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]], dtype=float32)
"""
import numpy as np


def to_categorical(x=None, num_classes=None, dtype="float32", *, y=None):
    """One-hot encode integer class labels: ``out[..., k] = 1`` where ``x == k``, else 0.

    ``x`` holds integers in ``[0, num_classes)`` (any shape; a trailing axis of length 1 is dropped, as
    Keras does); ``num_classes`` defaults to ``max(x) + 1``. The class axis is last. For string or other
    labels, first map them to integers with scikit-learn's ``LabelEncoder``. Keras 2 named the first
    argument ``y``: ``np_utils.to_categorical(y=labels, num_classes=10)`` works too.
    """
    name = "x"
    if y is not None:
        if x is not None:
            raise TypeError("to_categorical got the labels twice: pass `x` (Keras 3's name) or `y` (Keras 2's), "
                            "not both.")
        x, name = y, "y"
    elif x is None:
        raise TypeError("to_categorical needs the class labels: to_categorical(x, num_classes=None). "
                        "Received: x=None")
    labels = np.asarray(x)
    if labels.dtype.kind == "f":
        if not np.all(np.isfinite(labels)) or np.any(labels != np.round(labels)):
            raise ValueError(f"to_categorical needs integer class labels; `{name}` holds non-integer values "
                             f"such as {labels[labels != np.round(labels)].ravel()[:3].tolist()}. Use the class "
                             "indices 0, 1, ..., num_classes - 1 (sklearn.preprocessing.LabelEncoder maps "
                             "other labels to them).")
        labels = labels.astype(np.int64)
    elif labels.dtype.kind not in "iub":
        raise ValueError(f"to_categorical needs integer class labels; `{name}` has dtype {labels.dtype} "
                         f"(first values {labels.ravel()[:3].tolist()}). Map labels to 0, 1, ..., "
                         "num_classes - 1 first, e.g. with sklearn.preprocessing.LabelEncoder.")
    if labels.ndim > 1 and labels.shape[-1] == 1:
        labels = labels[..., 0]
    if labels.size and labels.min() < 0:
        raise ValueError(f"to_categorical needs class labels >= 0; `{name}` holds {int(labels.min())}.")
    top = int(labels.max()) + 1 if labels.size else 0
    if num_classes is None:
        num_classes = top
    elif isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)) or num_classes < 1:
        raise ValueError(f"`num_classes` must be a positive integer or None (inferred as max({name}) + 1). "
                         f"Received: num_classes={num_classes!r}")
    elif top > num_classes:
        raise ValueError(f"`{name}` holds the label {top - 1}, which needs num_classes >= {top}; received "
                         f"num_classes={num_classes}. Labels must lie in [0, num_classes).")
    out = np.zeros(labels.shape + (int(num_classes),), dtype=dtype)
    np.put_along_axis(out, labels[..., None].astype(np.intp), 1, axis=-1)
    return out
