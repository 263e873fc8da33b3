"""Image augmentation layers (Keras' preprocessing layers): random flips, rotations, shifts, zooms,
contrast changes and crops of a batch of images, drawn from the layer's own seeded generator.

They change images only in training (``training=True``, as fit calls them) and pass them through at
inference, so the model predicts on the images as they are; RandomCrop crops the centre at inference.
Images are (batch, height, width, channels) or grey (batch, height, width). As regularizers they show the
network new versions of each sample every epoch: a rotated digit is still the same digit.

Each is linear in the images once its random draw is made, so backward passes the gradient back through
the same draw (the transposed resampling), and augmentations stack in any order.

    >>> import numpy as np
    >>> flip = RandomFlip("horizontal", seed=2)
    >>> img = np.arange(4.0).reshape(1, 2, 2)
    >>> flip(img, training=True)[0].tolist(), flip(img)[0].tolist()
    ([[1.0, 0.0], [3.0, 2.0]], [[0.0, 1.0], [2.0, 3.0]])
"""
from __future__ import annotations

import numpy as np

from neuronet.layers.dropout import _RandomLayer
from neuronet.layers.image_sampling import (FILL_MODES, INTERPOLATIONS, adjoint_plan, apply_plan, as_nhwc,
                                            check_choice, plan, rotations)


def factor_range(factor, name, low=-1.0, symmetric=True):
    """Keras' factor argument: a number f means [-f, f] (or [1 - f, 1 + f] style ranges, handled by the
    caller), a pair (lower, upper) the range itself."""
    if isinstance(factor, (int, float, np.integer, np.floating)) and not isinstance(factor, bool):
        lower, upper = (-abs(float(factor)), abs(float(factor))) if symmetric else (float(factor), float(factor))
    elif isinstance(factor, (tuple, list)) and len(factor) == 2:
        lower, upper = float(factor[0]), float(factor[1])
    else:
        raise ValueError(f"Received an invalid value for `{name}`, expected a number or a pair (lower, upper). "
                         f"Received: {name}={factor!r}")
    if lower > upper or lower < low:
        raise ValueError(f"`{name}` must be a range (lower, upper) with {low} <= lower <= upper; "
                         f"received {name}={factor!r}.")
    return lower, upper


class _Augmentation(_RandomLayer):
    """An augmentation: identity unless training; the random draw is ``augment(images)`` and its
    gradient ``augment_backward(grad)`` (same draw)."""

    _drawn = False

    def forward(self, x, training=False):
        self._drawn = bool(training)
        if not training:
            return x
        images, undo = as_nhwc(x, type(self).__name__)
        return undo(self.augment(images))

    def backward(self, grad):
        if not self.needs_input_grad:
            return None
        if not self._drawn:
            return grad
        g, undo = as_nhwc(grad, type(self).__name__)
        return undo(self.augment_backward(g))

    def _draw(self, n, low, high):
        return low + (high - low) * self.rng.random(n)


class RandomFlip(_Augmentation):
    """Flip each image left-right (``'horizontal'``), upside down (``'vertical'``) or each of the two
    (``'horizontal_and_vertical'``), each with probability 1/2: y = x[:, :, ::-1] or x."""

    MODES = ("horizontal", "vertical", "horizontal_and_vertical")

    def __init__(self, mode="horizontal_and_vertical", seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.mode = check_choice(mode, "mode", self.MODES)
        self._flips = None

    def augment(self, images):
        n = len(images)
        horizontal = self.rng.random(n) < 0.5 if self.mode != "vertical" else np.zeros(n, bool)
        vertical = self.rng.random(n) < 0.5 if self.mode != "horizontal" else np.zeros(n, bool)
        self._flips = horizontal, vertical
        return self._apply(images, horizontal, vertical)

    @staticmethod
    def _apply(images, horizontal, vertical):
        images = np.where(horizontal[:, None, None, None], images[:, :, ::-1], images)
        return np.where(vertical[:, None, None, None], images[:, ::-1], images)

    def augment_backward(self, grad):
        return self._apply(grad, *self._flips)           # a flip is its own inverse

    def get_config(self):
        return {**super().get_config(), "mode": self.mode}


class _AffineAugmentation(_Augmentation):
    def __init__(self, fill_mode="reflect", interpolation="bilinear", seed=None, fill_value=0.0, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.fill_mode = check_choice(fill_mode, "fill_mode", FILL_MODES)
        self.interpolation = check_choice(interpolation, "interpolation", INTERPOLATIONS)
        self.fill_value = float(fill_value)

    def augment(self, images):
        maps, shifts = self.affine(len(images), images.shape[1], images.shape[2])
        self._plan = plan(images.shape, maps, shifts, self.fill_mode, self.interpolation)
        return apply_plan(images, self._plan, self.fill_value)

    def augment_backward(self, grad):
        return adjoint_plan(grad, self._plan)

    def get_config(self):
        return {**super().get_config(), "fill_mode": self.fill_mode, "interpolation": self.interpolation,
                "fill_value": self.fill_value}


class RandomRotation(_AffineAugmentation):
    """Rotate each image about its centre by an angle drawn uniformly from factor * [-2 pi, 2 pi] (a pair
    (lower, upper): from [lower * 2 pi, upper * 2 pi]); positive angles turn counter-clockwise."""

    def __init__(self, factor, fill_mode="reflect", interpolation="bilinear", seed=None, fill_value=0.0, **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, **kwargs)
        self.factor = factor_range(factor, "factor")
        self._factor_arg = factor

    def affine(self, n, h, w):
        angles = self._draw(n, *self.factor) * 2 * np.pi
        return rotations(angles), np.zeros((n, 2))

    def get_config(self):
        return {**super().get_config(), "factor": self._factor_arg}


class RandomTranslation(_AffineAugmentation):
    """Shift each image by a fraction of its height (drawn from height_factor's range) and of its width
    (width_factor's); positive values move the content down and right."""

    def __init__(self, height_factor, width_factor, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, **kwargs)
        self.height_range = factor_range(height_factor, "height_factor")
        self.width_range = factor_range(width_factor, "width_factor")
        self._args = {"height_factor": height_factor, "width_factor": width_factor}

    def affine(self, n, h, w):
        shifts = np.stack([self._draw(n, *self.height_range) * h, self._draw(n, *self.width_range) * w], 1)
        return np.broadcast_to(np.eye(2), (n, 2, 2)), shifts

    def get_config(self):
        return {**super().get_config(), **self._args}


class RandomZoom(_AffineAugmentation):
    """Zoom each image about its centre: a factor f drawn from height_factor's range shows the image
    (1 + f) times smaller (f > 0 zooms out, f < 0 in). width_factor None keeps the aspect ratio."""

    def __init__(self, height_factor, width_factor=None, fill_mode="reflect", interpolation="bilinear",
                 seed=None, fill_value=0.0, **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, **kwargs)
        self.height_range = factor_range(height_factor, "height_factor")
        self.width_range = None if width_factor is None else factor_range(width_factor, "width_factor")
        self._args = {"height_factor": height_factor, "width_factor": width_factor}

    def affine(self, n, h, w):
        zy = 1 + self._draw(n, *self.height_range)
        zx = zy if self.width_range is None else 1 + self._draw(n, *self.width_range)
        maps = np.zeros((n, 2, 2))
        maps[:, 0, 0], maps[:, 1, 1] = zy, zx
        return maps, np.zeros((n, 2))

    def get_config(self):
        return {**super().get_config(), **self._args}


class RandomContrast(_Augmentation):
    """Scale each image's deviation from its mean (per channel) by a factor drawn from
    [1 - lower, 1 + upper]: y = (x - mean) * f + mean, clipped to ``value_range``."""

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        pair = factor if isinstance(factor, (tuple, list)) and len(factor) == 2 else (factor, factor)
        if not all(isinstance(f, (int, float, np.integer, np.floating)) and not isinstance(f, bool) for f in pair):
            raise ValueError(f"Received an invalid value for `factor`, expected a number or a pair "
                             f"(lower, upper). Received: factor={factor!r}")
        lower, upper = float(pair[0]), float(pair[1])
        if not 0 <= lower <= 1 or upper < 0:
            raise ValueError(f"`factor` of RandomContrast must be in [0, 1] (or a pair of them); received "
                             f"factor={factor!r}.")
        self.lower, self.upper, self._factor_arg = lower, upper, factor
        self.value_range = (float(value_range[0]), float(value_range[1]))

    def augment(self, images):
        f = self._f = self._draw(len(images), 1 - self.lower, 1 + self.upper)[:, None, None, None]
        mean = images.mean(axis=(1, 2), keepdims=True)
        raw = (images - mean) * f + mean
        out = np.clip(raw, *self.value_range)
        self._unclipped = out == raw
        return out.astype(images.dtype if images.dtype.kind == "f" else np.float32, copy=False)

    def augment_backward(self, grad):
        # y = (x - mean) f + mean  ->  dL/dx = f g + (1 - f) mean(g), g zero where y was clipped
        g = grad * self._unclipped
        return (self._f * g + (1 - self._f) * g.mean(axis=(1, 2), keepdims=True)).astype(grad.dtype, copy=False)

    def get_config(self):
        return {**super().get_config(), "factor": self._factor_arg, "value_range": list(self.value_range)}


class RandomCrop(_Augmentation):
    """Crop a random height x width window of each image in training, the centre one at inference."""

    def __init__(self, height, width, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        for name, value in (("height", height), ("width", width)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"Received an invalid value for `{name}`, expected a positive integer. "
                                 f"Received: {name}={value!r}")
        self.height, self.width = int(height), int(width)

    def compute_output_shape(self, input_shape):
        if len(input_shape) not in (2, 3) or input_shape[0] < self.height or input_shape[1] < self.width:
            raise ValueError(f"RandomCrop({self.height}, {self.width}) needs images of at least that size, "
                             f"(height, width) or (height, width, channels); received {tuple(input_shape)}.")
        return (self.height, self.width, *input_shape[2:])

    def forward(self, x, training=False):
        images, undo = as_nhwc(x, "RandomCrop")
        n, h, w = images.shape[:3]
        if h < self.height or w < self.width:
            self.compute_output_shape(x.shape[1:])
        if training:
            top = self.rng.integers(0, h - self.height + 1, n)
            left = self.rng.integers(0, w - self.width + 1, n)
        else:
            top, left = np.full(n, (h - self.height) // 2), np.full(n, (w - self.width) // 2)
        rows = top[:, None, None] + np.arange(self.height)[None, :, None]
        cols = left[:, None, None] + np.arange(self.width)[None, None, :]
        self._window = (np.arange(n)[:, None, None], rows, cols, images.shape)
        return undo(images[self._window[:3]])

    def backward(self, grad):
        if not self.needs_input_grad:
            return None
        g, undo = as_nhwc(grad, "RandomCrop")
        dx = np.zeros(self._window[3], dtype=grad.dtype)
        dx[self._window[:3]] = g                   # each input pixel is in at most one crop window
        return undo(dx)

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width}
