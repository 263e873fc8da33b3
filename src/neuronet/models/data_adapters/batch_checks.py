"""The checks of a stream's batches, one batch at a time, before its step: each batch must unpack to
``(x, y)`` or ``(x, y, sample_weight)``, hold numbers, keep the first batch's dtypes and sample shapes,
and be finite; messages name the batch by its index."""
from __future__ import annotations

import numpy as np


class StreamDataError(ValueError):
    """A stream's batch cannot be used (a ValueError): fit rolls the weights back before raising it."""


def describe(value):
    shape = getattr(value, "shape", None)
    return f"{type(value).__name__} of shape {tuple(shape)}" if shape is not None else type(value).__name__


class BatchChecker:
    """Turns the raw batches of a stream into checked ``(x, y, sample_weight)`` arrays for ``model``.

    ``source`` names the stream in messages ('x', 'validation_data'); ``targets`` says whether batches
    must carry y (fit, evaluate) or may be x alone (predict). The model is built from the first batch.
    """

    def __init__(self, model, source="x", targets=True, class_weight=None, train=False):
        self.model, self.source, self.targets = model, source, targets
        self.class_weight, self.train = class_weight, train
        self.first = None          # the first batch's (dtype, sample shape) per part
        self.snapshot = None

    def unpack(self, index, raw):
        if isinstance(raw, (tuple, list)) and len(raw) in (1, 2, 3):
            parts = tuple(raw) + (None,) * (3 - len(raw))
        elif isinstance(raw, (tuple, list)):
            raise StreamDataError(f"Batch {index} of `{self.source}` is a {type(raw).__name__} of length "
                                  f"{len(raw)}; a batch must be (x, y) or (x, y, sample_weight).")
        elif not self.targets:
            parts = (raw, None, None)
        else:
            raise StreamDataError(f"Batch {index} of `{self.source}` is a {describe(raw)}, not a tuple; "
                                  "training and evaluation need batches (x, y) or (x, y, sample_weight). "
                                  "Yield tuples, e.g. `yield x_batch, y_batch`.")
        if self.targets and parts[1] is None:
            raise StreamDataError(f"Batch {index} of `{self.source}` has no targets (y is None); yield "
                                  "(x, y) or (x, y, sample_weight).")
        return parts

    def array(self, index, part, value):
        several = isinstance(value, (list, tuple)) and value and all(np.ndim(v) >= 2 for v in value)
        if isinstance(value, dict) or several:
            raise StreamDataError(f"Batch {index} of `{self.source}`: its {part} is a {type(value).__name__} "
                                  "of arrays; streams feed models of one input and one output, so each part "
                                  "of a batch must be one array.")
        if hasattr(value, "to_numpy") and not isinstance(value, np.ndarray):
            value = value.to_numpy()
        try:
            arr = np.asarray(value)
        except (TypeError, ValueError) as error:
            raise StreamDataError(f"Batch {index} of `{self.source}`: its {part} could not be converted "
                                  f"to an array ({error}).") from None
        if arr.dtype.kind not in "biuf":
            raise StreamDataError(f"Batch {index} of `{self.source}`: its {part} has non-numeric dtype "
                                  f"{arr.dtype}; every batch must hold numbers (encode strings and "
                                  "categories as numbers first).")
        if arr.ndim == 0 or arr.shape[0] == 0:
            raise StreamDataError(f"Batch {index} of `{self.source}`: its {part} has shape {arr.shape}; a "
                                  "batch needs at least one sample along the first axis.")
        if arr.dtype.kind == "f" and not np.isfinite(arr).all():
            bad = np.argwhere(~np.isfinite(arr))[0]
            what = "NaN" if np.isnan(arr).any() else "inf"
            raise StreamDataError(f"Batch {index} of `{self.source}`: its {part} contains {what} (first at "
                                  f"row {int(bad[0])} of the batch, position {tuple(int(i) for i in bad)}). "
                                  "Clean or impute the data before it reaches the model.")
        return arr

    def consistent(self, index, parts):
        seen = tuple((a.dtype, a.shape[1:]) if a is not None else None for a in parts)
        if self.first is None:
            self.first = seen
            return
        for name, now, then in zip(("x", "y", "sample_weight"), seen, self.first):
            if (now is None) != (then is None):
                raise StreamDataError(f"Batch {index} of `{self.source}` {'has' if now else 'lacks'} a "
                                      f"{name} that batch 0 {'lacks' if now else 'has'}; every batch must "
                                      "have the same parts.")
            if now is not None and now[0] != then[0]:
                raise StreamDataError(f"Batch {index} of `{self.source}`: its {name} has dtype {now[0]}, "
                                      f"but the first batch's has dtype {then[0]}; every batch must have "
                                      "the same dtype (cast them all, e.g. x.astype('float32')).")
            if now is not None and now[1] != then[1]:
                raise StreamDataError(f"Batch {index} of `{self.source}`: its {name} has samples of shape "
                                      f"{now[1]}, but the first batch's has {then[1]}; every batch must "
                                      "have the same sample shape (only the batch size may vary).")

    def keep_weights(self):
        """Copy the weights and optimizer state now (fit's start): a bad batch later puts them back, so
        a stream that fails mid-way leaves the model as fit found it."""
        from neuronet.utils.snapshot import TrainingSnapshot
        self.snapshot = TrainingSnapshot(self.model)
        self.snapshot.take()

    def __call__(self, index, raw):
        """Checked ``(x, y, sample_weight)`` of batch ``index`` (y and the weights None for predict)."""
        try:
            return self.check(index, raw)
        except StreamDataError:
            if self.snapshot is not None:
                self.snapshot.restore()
            raise

    def check(self, index, raw):
        x, y, w = self.unpack(index, raw)
        parts = [self.array(index, p, v) if v is not None else None
                 for p, v in zip(("x", "y", "sample_weight"), (x, y, w))]
        lengths = {len(a) for a in parts if a is not None}
        if len(lengths) > 1:
            raise StreamDataError(f"Batch {index} of `{self.source}`: x, y and sample_weight disagree on the "
                                  f"number of samples ({[len(a) for a in parts if a is not None]}).")
        self.consistent(index, parts)
        x, y, w = parts
        model = self.model
        if y is None:
            from neuronet.models import data_checks
            return data_checks.prepare_x(model, x, f"x (batch {index})"), None, None
        # The model's own preparation (build from the first batch, output checks, metric shapes).
        try:
            return model.prepare_batch(x, y, w, self.class_weight, train=self.train)
        except StreamDataError:
            raise
        except ValueError as error:
            raise StreamDataError(f"Batch {index} of `{self.source}`: {error}") from None
