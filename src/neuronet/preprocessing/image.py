"""Keras 2's ImageDataGenerator: batches of randomly transformed images, ``datagen.flow(x, y, batch_size)``.

Each image of a batch gets its own random rotation, shift, zoom and flips (one affine resampling, see
neuronet.layers.image_sampling), then ``rescale``:

    x' = resample(x, R(theta) Z(zy, zx), shift) * rescale
    theta ~ U[-rotation_range, rotation_range] degrees      shift ~ U[-range, range] (x size when < 1)
    zy, zx ~ U[1 - zoom_range, 1 + zoom_range]              flips with probability 1/2

The iterator ``flow`` returns is a PyDataset (Keras 2's NumpyArrayIterator is a Sequence), so
``model.fit(datagen.flow(x, y, batch_size=32), epochs=...)`` reads it batch by batch; iterating it by
hand (``next(it)``) loops over the data forever, as in Keras. With ``seed`` every batch's transforms
depend only on (seed, epoch, batch index): the same with any number of loading workers.

    >>> import numpy as np
    >>> datagen = ImageDataGenerator(rotation_range=10, width_shift_range=0.1, horizontal_flip=True,
    ...                              rescale=1 / 255.0)
    >>> it = datagen.flow(np.zeros((10, 28, 28, 1)), np.arange(10), batch_size=4, seed=0)
    >>> len(it), it[0][0].shape
    (3, (4, 28, 28, 1))
"""
from __future__ import annotations

import math

import numpy as np

from neuronet.layers.image_sampling import FILL_MODES, as_nhwc, check_choice, rotations, transform
from neuronet.utils.py_dataset import PyDataset

UNSUPPORTED = ("featurewise_center", "samplewise_center", "featurewise_std_normalization",
               "samplewise_std_normalization", "zca_whitening", "zca_epsilon", "shear_range",
               "channel_shift_range", "brightness_range", "preprocessing_function", "validation_split")


def _range(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or value < 0:
        raise ValueError(f"Received an invalid value for `{name}`, expected a non-negative number. "
                         f"Received: {name}={value!r}")
    return float(value)


class ImageDataGenerator:
    """Random image transforms for training (Keras 2): rotation_range (degrees), width_shift_range and
    height_shift_range (fractions of the size below 1, pixels from 1 on), zoom_range (a number z for
    [1 - z, 1 + z] or a pair), horizontal_flip, vertical_flip, rescale, fill_mode and cval."""

    def __init__(self, rotation_range=0, width_shift_range=0.0, height_shift_range=0.0, zoom_range=0.0,
                 fill_mode="nearest", cval=0.0, horizontal_flip=False, vertical_flip=False, rescale=None,
                 data_format="channels_last", dtype="float32", **kwargs):
        named = [k for k in kwargs if k in UNSUPPORTED]
        if named or kwargs:
            raise TypeError(f"ImageDataGenerator does not support {sorted(kwargs)}"
                            f"{' (a Keras option neuronet leaves out)' if named else ''}. Supported: "
                            "rotation_range, width_shift_range, height_shift_range, zoom_range, fill_mode, "
                            "cval, horizontal_flip, vertical_flip, rescale.")
        if data_format != "channels_last":
            raise ValueError(f"Only data_format='channels_last' is supported; received {data_format!r}.")
        self.rotation_range = _range(rotation_range, "rotation_range")
        self.width_shift_range = _range(width_shift_range, "width_shift_range")
        self.height_shift_range = _range(height_shift_range, "height_shift_range")
        if isinstance(zoom_range, (tuple, list)) and len(zoom_range) == 2:
            self.zoom_range = (float(zoom_range[0]), float(zoom_range[1]))
        else:
            z = _range(zoom_range, "zoom_range")
            self.zoom_range = (1 - z, 1 + z)
        if self.zoom_range[0] <= 0 or self.zoom_range[0] > self.zoom_range[1]:
            raise ValueError(f"`zoom_range` must give 0 < lower <= upper; received {zoom_range!r}.")
        self.fill_mode = check_choice(fill_mode, "fill_mode", FILL_MODES)
        self.cval, self.horizontal_flip, self.vertical_flip = float(cval), bool(horizontal_flip), bool(vertical_flip)
        self.rescale = None if rescale in (None, 0) else float(rescale)
        self.dtype = np.dtype(dtype)

    def random_transform_batch(self, images, rng):
        """``images`` (N, H, W, C) each transformed with draws from ``rng``, then rescaled."""
        n, h, w = images.shape[:3]
        theta = np.deg2rad(rng.uniform(-self.rotation_range, self.rotation_range, n))
        zoom = rng.uniform(*self.zoom_range, size=(n, 2))
        shift = np.stack([self._shift(rng, self.height_shift_range, h, n),
                          self._shift(rng, self.width_shift_range, w, n)], 1)
        maps = rotations(theta) * zoom[:, None, :]           # R(theta) @ diag(zy, zx)
        out = images.astype(self.dtype)
        if self.rotation_range or self.zoom_range != (1.0, 1.0) or shift.any():
            out = transform(out, maps, shift, self.fill_mode, "bilinear", self.cval)
        if self.horizontal_flip:
            out = np.where((rng.random(n) < 0.5)[:, None, None, None], out[:, :, ::-1], out)
        if self.vertical_flip:
            out = np.where((rng.random(n) < 0.5)[:, None, None, None], out[:, ::-1], out)
        return out * self.dtype.type(self.rescale) if self.rescale is not None else out

    @staticmethod
    def _shift(rng, value, size, n):
        span = value * size if value < 1 else value
        return rng.uniform(-span, span, n)

    def flow(self, x, y=None, batch_size=32, shuffle=True, sample_weight=None, seed=None):
        """A NumpyArrayIterator over (x, y): batches of ``batch_size`` transformed images (and labels)."""
        return NumpyArrayIterator(x, y, self, batch_size, shuffle, sample_weight, seed)


class NumpyArrayIterator(PyDataset):
    """The batches of ``ImageDataGenerator.flow``: ``it[i]`` is batch i of this epoch's order,
    ``on_epoch_end()`` (fit calls it) moves to the next epoch's order, ``next(it)`` loops forever."""

    def __init__(self, x, y, generator, batch_size=32, shuffle=True, sample_weight=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        x = np.asarray(x)
        as_nhwc(x, "ImageDataGenerator.flow")
        if y is not None and len(y) != len(x):
            raise ValueError(f"`x` (images) and `y` (labels) should have the same length. Found: "
                             f"x.shape = {x.shape}, y.shape = {np.shape(y)}")
        self.x, self.y = x, None if y is None else np.asarray(y)
        self.sample_weight = None if sample_weight is None else np.asarray(sample_weight)
        self.generator, self.batch_size, self.shuffle = generator, int(batch_size), bool(shuffle)
        self.seed = int(np.random.default_rng().integers(2**31)) if seed is None else int(seed)
        self.epoch, self._next = 0, 0
        self._order = self._epoch_order()

    def _epoch_order(self):
        n = len(self.x)
        return np.random.default_rng([self.seed, self.epoch]).permutation(n) if self.shuffle else np.arange(n)

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, idx):
        if not 0 <= idx < len(self):
            raise IndexError(f"Asked to retrieve element {idx}, but the Sequence has length {len(self)}")
        rows = self._order[idx * self.batch_size:(idx + 1) * self.batch_size]
        images, undo = as_nhwc(self.x[rows], "ImageDataGenerator.flow")
        out = undo(self.generator.random_transform_batch(images, np.random.default_rng([self.seed, self.epoch, idx])))
        if self.y is None:
            return out
        if self.sample_weight is None:
            return out, self.y[rows]
        return out, self.y[rows], self.sample_weight[rows]

    def on_epoch_end(self):
        self.epoch += 1
        self._order = self._epoch_order()

    def __iter__(self):
        return self

    def __next__(self):
        if self._next >= len(self):
            self._next = 0
            self.on_epoch_end()
        batch = self[self._next]
        self._next += 1
        return batch
