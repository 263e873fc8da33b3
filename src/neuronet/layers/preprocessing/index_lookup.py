"""StringLookup and IntegerLookup: map tokens to indices in a vocabulary, given or learned by ``adapt``."""
from __future__ import annotations

import zlib

import numpy as np

from neuronet.layers.preprocessing.base import PreprocessingLayer, check_output_mode, encode, encoded_shape


class IndexLookup(PreprocessingLayer):
    """The shared lookup. Indices, as Keras lays them out:

        [mask_token] (index 0, only when mask_token is set), then num_oov_indices OOV indices,
        then the vocabulary in order.

    A token outside the vocabulary gets an OOV index (with several, chosen by a hash of the token: the
    same token always lands in the same one, though not in the one TensorFlow's FarmHash picks). ``adapt``
    builds the vocabulary from data, most frequent token first (ties: the larger token first, as Keras),
    at most ``max_tokens`` indices in all. ``invert=True`` maps indices back to tokens.
    """

    token_kind = None           # "str" or "int", set by the subclasses

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=None, vocabulary=None,
                 invert=False, output_mode="int", pad_to_max_tokens=False, sparse=False, **kwargs):
        super().__init__(**kwargs)
        if sparse:
            raise ValueError(f"{type(self).__name__}(sparse=True) returns TensorFlow sparse tensors in Keras; "
                             "neuronet computes dense arrays only. Received: sparse=True")
        for name, value, low in (("max_tokens", max_tokens, 1), ("num_oov_indices", num_oov_indices, 0)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, np.integer))
                                      or value < low):
                raise ValueError(f"Received an invalid value for `{name}`, expected an integer >= {low}. "
                                 f"Received: {name}={value!r}")
        if max_tokens is not None and max_tokens <= num_oov_indices + (mask_token is not None):
            raise ValueError(f"`max_tokens` must leave room for the vocabulary after the {num_oov_indices} OOV "
                             f"and mask indices. Received: max_tokens={max_tokens}")
        self.output_mode = check_output_mode(output_mode)
        if invert and self.output_mode != "int":
            raise ValueError(f"`output_mode` must be 'int' when `invert` is true. Received: "
                             f"output_mode={output_mode!r}")
        self.max_tokens, self.num_oov_indices = max_tokens, int(num_oov_indices)
        self.mask_token, self.oov_token = mask_token, oov_token
        self.invert, self.pad_to_max_tokens = bool(invert), bool(pad_to_max_tokens)
        self._vocabulary = None
        if vocabulary is not None:
            self.set_vocabulary(vocabulary)

    # ---- the vocabulary --------------------------------------------------------------------------------
    def _tokens(self, values):
        """``values`` as an array of this layer's tokens."""
        values = np.asarray(values)
        if self.token_kind == "str":
            if values.dtype.kind not in "US" and not (values.dtype.kind == "O" and
                                                      all(isinstance(v, (str, bytes)) for v in values.ravel())):
                raise TypeError(f"{type(self).__name__} {self.name!r} maps strings; received dtype {values.dtype}. "
                                "Use IntegerLookup for integer categories.")
            return values.astype(str)
        if values.dtype.kind == "f":
            if not np.isfinite(values).all() or (values != np.round(values)).any():
                raise ValueError(f"IntegerLookup {self.name!r} maps integers; received non-integer values.")
        elif values.dtype.kind not in "iub":
            raise TypeError(f"IntegerLookup {self.name!r} maps integers; received dtype {values.dtype}. "
                            "Use StringLookup for strings.")
        return values.astype(np.int64)

    def set_vocabulary(self, vocabulary):
        """Use ``vocabulary`` (a list of distinct tokens, without the mask and OOV tokens)."""
        vocab = self._tokens(list(vocabulary))
        if vocab.ndim != 1:
            raise ValueError(f"`vocabulary` must be a flat list of tokens; received shape {vocab.shape}.")
        if len(np.unique(vocab)) != len(vocab):
            values, counts = np.unique(vocab, return_counts=True)
            raise ValueError(f"The passed vocabulary has at least one repeated term: "
                             f"{values[counts > 1].tolist()[:5]}. Please uniquify your dataset.")
        for name, token in (("mask_token", self.mask_token), ("oov_token", self.oov_token)):
            if token is not None and (vocab == self._tokens([token])[0]).any():
                raise ValueError(f"The vocabulary must not contain the {name} {token!r}: the layer adds it.")
        if self.max_tokens is not None and len(vocab) + self._offset > self.max_tokens:
            raise ValueError(f"Attempted to set a vocabulary larger than the maximum vocab size: "
                             f"{len(vocab) + self._offset} > max_tokens={self.max_tokens}.")
        self._vocabulary = vocab
        order = np.argsort(vocab, kind="stable")
        self._sorted, self._order = vocab[order], order

    @property
    def _offset(self):
        return self.num_oov_indices + (self.mask_token is not None)

    def get_vocabulary(self, include_special_tokens=True):
        """The tokens by index: [mask_token,] oov_token * num_oov_indices, then the vocabulary."""
        vocab = [] if self._vocabulary is None else self._vocabulary.tolist()
        if not include_special_tokens:
            return vocab
        special = ([] if self.mask_token is None else [self.mask_token]) + [self.oov_token] * self.num_oov_indices
        return special + vocab

    def vocabulary_size(self):
        return len(self.get_vocabulary())

    def adapt(self, data, batch_size=None, steps=None):
        """Build the vocabulary from every token in ``data``, most frequent first."""
        tokens, counts = np.unique(self._tokens(data).ravel(), return_counts=True)
        keep = np.ones(len(tokens), dtype=bool)
        for token in (self.mask_token, self.oov_token):
            if token is not None:
                keep &= tokens != self._tokens([token])[0]
        tokens, counts = tokens[keep], counts[keep]
        order = np.lexsort((tokens, counts))[::-1]            # count, then token, both descending
        if self.max_tokens is not None:
            order = order[:self.max_tokens - self._offset]
        self.set_vocabulary(tokens[order])

    # ---- computing -------------------------------------------------------------------------------------
    @property
    def depth(self):
        if self.pad_to_max_tokens and self.max_tokens is not None:
            return self.max_tokens
        return self.vocabulary_size()

    def compute_output_shape(self, input_shape):
        if self._vocabulary is None:
            return tuple(input_shape)
        return encoded_shape((1, *input_shape), self.output_mode, self.depth)[1:]

    def _require_vocabulary(self):
        if self._vocabulary is None:
            raise ValueError(f"{type(self).__name__} {self.name!r} has no vocabulary yet: pass `vocabulary=[...]` "
                             "or call layer.adapt(data) first.")

    def lookup(self, x):
        """The index of each token of ``x`` (int64)."""
        self._require_vocabulary()
        tokens = self._tokens(x)
        pos = np.searchsorted(self._sorted, tokens).clip(0, max(len(self._sorted) - 1, 0))
        found = (self._sorted[pos] == tokens) if len(self._sorted) else np.zeros(tokens.shape, dtype=bool)
        indices = np.where(found, self._order[pos] + self._offset, 0).astype(np.int64)
        oov = ~found
        if self.mask_token is not None:
            masked = tokens == self._tokens([self.mask_token])[0]
            indices[masked] = 0
            oov &= ~masked
        if oov.any():
            if self.num_oov_indices == 0:
                raise ValueError(f"{type(self).__name__} {self.name!r} has num_oov_indices=0 but received tokens "
                                 f"outside its vocabulary: {np.unique(tokens[oov]).tolist()[:5]}.")
            first = self.mask_token is not None
            if self.num_oov_indices == 1:
                indices[oov] = first
            else:          # one hash per distinct unknown token, not per sample
                unknown, where = np.unique(tokens[oov], return_inverse=True)
                buckets = np.array([zlib.crc32(str(t).encode()) % self.num_oov_indices for t in unknown])
                indices[oov] = first + buckets[where]
        return indices

    def forward(self, x, training=False):
        if self.invert:
            return self.invert_indices(x)
        return encode(self.lookup(x), self.output_mode, self.depth, self.dtype).astype(self.dtype, copy=False)

    def invert_indices(self, indices):
        """The token of each index (an OOV index gives oov_token)."""
        self._require_vocabulary()
        indices = np.asarray(indices)
        vocab = np.asarray(self.get_vocabulary(), dtype=object if self.token_kind == "str" else np.int64)
        if indices.size and (indices.min() < 0 or indices.max() >= len(vocab)):
            raise ValueError(f"{type(self).__name__} {self.name!r}: indices must be in [0, {len(vocab)}). "
                             f"Received values from {indices.min()} to {indices.max()}.")
        out = vocab[indices.astype(np.int64)]
        return out.astype(str) if self.token_kind == "str" else out

    def __call__(self, x, training=False):
        x = np.asarray(x)
        if not self.built:
            self.build(x.shape[1:])
        out = self.forward(x, training=training)
        return out.astype(np.int64) if self.output_mode == "int" and not self.invert else out

    def get_config(self):
        vocab = self.get_vocabulary(include_special_tokens=False) if self._vocabulary is not None else None
        return {**super().get_config(), "max_tokens": self.max_tokens, "num_oov_indices": self.num_oov_indices,
                "mask_token": self.mask_token, "oov_token": self.oov_token, "vocabulary": vocab,
                "invert": self.invert, "output_mode": self.output_mode,
                "pad_to_max_tokens": self.pad_to_max_tokens, "sparse": False}


class StringLookup(IndexLookup):
    """Map strings to integer indices (Keras' StringLookup); see IndexLookup for the index layout.

        >>> layer = StringLookup(vocabulary=["a", "b", "c", "d"])
        >>> layer([["a", "c", "d"], ["d", "z", "b"]]).tolist()          # 'z' is out of vocabulary: 0
        [[1, 3, 4], [4, 0, 2]]
        >>> layer = StringLookup()
        >>> layer.adapt([["a", "c", "d"], ["d", "z", "b"]])
        >>> layer.get_vocabulary()
        ['[UNK]', 'd', 'z', 'c', 'b', 'a']

    A Sequential model's inputs are numeric arrays: apply a StringLookup to the raw data before fit
    (``x = lookup(raw)``), or give the model the indices.
    """

    token_kind = "str"

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]",
                 vocabulary=None, invert=False, output_mode="int", pad_to_max_tokens=False, sparse=False,
                 encoding="utf-8", **kwargs):
        self.encoding = encoding
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
                         oov_token=oov_token, vocabulary=vocabulary, invert=invert, output_mode=output_mode,
                         pad_to_max_tokens=pad_to_max_tokens, sparse=sparse, **kwargs)

    def get_config(self):
        return {**super().get_config(), "encoding": self.encoding}


class IntegerLookup(IndexLookup):
    """Map integer categories (any values: zip codes, ids) to contiguous indices (Keras' IntegerLookup).

        >>> layer = IntegerLookup(vocabulary=[12, 36, 1138, 42])
        >>> layer([[12, 1138, 42], [42, 1000, 36]]).tolist()            # 1000 is out of vocabulary: 0
        [[1, 3, 4], [4, 0, 2]]
    """

    token_kind = "int"

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1, vocabulary=None,
                 vocabulary_dtype="int64", invert=False, output_mode="int", pad_to_max_tokens=False,
                 sparse=False, **kwargs):
        if vocabulary_dtype not in ("int64", "int32"):
            raise ValueError(f"Received an invalid value for `vocabulary_dtype`, expected 'int64' or 'int32'. "
                             f"Received: vocabulary_dtype={vocabulary_dtype!r}")
        self.vocabulary_dtype = vocabulary_dtype
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
                         oov_token=oov_token, vocabulary=vocabulary, invert=invert, output_mode=output_mode,
                         pad_to_max_tokens=pad_to_max_tokens, sparse=sparse, **kwargs)

    def get_config(self):
        return {**super().get_config(), "vocabulary_dtype": self.vocabulary_dtype}
