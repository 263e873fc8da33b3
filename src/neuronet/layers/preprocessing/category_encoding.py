"""CategoryEncoding: integer category indices as one-hot, multi-hot or count vectors."""
from __future__ import annotations

import numpy as np

from neuronet.layers.preprocessing.base import PreprocessingLayer, check_output_mode, encode, encoded_shape


class CategoryEncoding(PreprocessingLayer):
    """Encode integer indices in [0, num_tokens) (Keras' CategoryEncoding), with ``output_mode``:

        'one_hot':   out[..., k] = [x == k]; a last axis of size 1 is replaced by num_tokens, else one is added
        'multi_hot': out[..., k] = [k occurs in the sample's last axis]            (the default)
        'count':     out[..., k] = how often k occurs there (the sum of ``count_weights`` when given)

        >>> import numpy as np
        >>> CategoryEncoding(num_tokens=4, output_mode="one_hot")([3, 2, 0, 1]).tolist()
        [[0.0, 0.0, 0.0, 1.0], [0.0, 0.0, 1.0, 0.0], [1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]]
        >>> CategoryEncoding(num_tokens=4)([[0, 1], [0, 0], [1, 2], [3, 1]]).tolist()
        [[1.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 1.0, 0.0], [0.0, 1.0, 0.0, 1.0]]
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if sparse:
            raise ValueError("CategoryEncoding(sparse=True) returns TensorFlow sparse tensors in Keras; neuronet "
                             "computes dense arrays only. Received: sparse=True")
        if output_mode == "binary":                     # Keras 2.5's name of multi_hot
            output_mode = "multi_hot"
        self.output_mode = check_output_mode(output_mode, ("one_hot", "multi_hot", "count"))
        if num_tokens is None or isinstance(num_tokens, bool) or not isinstance(num_tokens, (int, np.integer)) \
                or num_tokens < 1:
            raise ValueError(f"`num_tokens` must be a positive integer (the number of categories). Received: "
                             f"num_tokens={num_tokens!r}")
        self.num_tokens = int(num_tokens)

    def compute_output_shape(self, input_shape):
        return encoded_shape((1, *input_shape), self.output_mode, self.num_tokens)[1:]

    def _indices(self, x):
        x = np.asarray(x)
        if x.dtype.kind == "f":
            if not np.isfinite(x).all() or (x != np.round(x)).any():
                raise ValueError(f"CategoryEncoding {self.name!r} needs integer category indices; received "
                                 "non-integer values.")
        elif x.dtype.kind not in "iub":
            raise TypeError(f"CategoryEncoding {self.name!r} needs integer category indices; received dtype "
                            f"{x.dtype}. Map strings to indices first with StringLookup.")
        if x.size and (x.min() < 0 or x.max() >= self.num_tokens):
            raise ValueError(f"Input values must be in the range 0 <= values < num_tokens with "
                             f"num_tokens={self.num_tokens}. Received: values from {x.min()} to {x.max()}")
        return x.astype(np.int64)

    def forward(self, x, training=False, count_weights=None):
        if count_weights is not None and self.output_mode != "count":
            raise ValueError(f"`count_weights` is not used when `output_mode` is not 'count'. Received "
                             f"output_mode={self.output_mode!r}")
        return encode(self._indices(x), self.output_mode, self.num_tokens, self.dtype, count_weights)

    def __call__(self, x, training=False, count_weights=None):
        """Encode ``x``; ``count_weights`` (x's shape) weight each occurrence in 'count' mode."""
        x = np.asarray(x)
        if not self.built:
            self.build(x.shape[1:])
        return self.forward(x, training=training, count_weights=count_weights)

    def get_config(self):
        return {**super().get_config(), "num_tokens": self.num_tokens, "output_mode": self.output_mode,
                "sparse": False}
