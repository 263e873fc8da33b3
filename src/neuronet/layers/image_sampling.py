"""Resampling a batch of images through per-image affine maps, in NumPy: what RandomRotation,
RandomTranslation and RandomZoom (and ImageDataGenerator) compute.

For output pixel p = (row, col) of image n, the source point is

    s = M_n @ (p - c) + c - t_n          c: the image centre, M_n: 2x2 map, t_n: shift in pixels

and the output is the input bilinearly interpolated at s (or the nearest pixel): four gathers for the
whole batch, no loop over images. The map from input to output is linear, so its gradient is its
transpose (``adjoint_plan``): each output gradient goes back to the pixels it was read from. Source points outside the image follow ``fill_mode``, as Keras':

    reflect   (d c b a | a b c d | d c b a)      wrap      (a b c d | a b c d | a b c d)
    nearest   (a a a a | a b c d | d d d d)      constant  (k k k k | a b c d | k k k k)

    >>> import numpy as np
    >>> img = np.arange(9.0).reshape(1, 3, 3, 1)
    >>> same = transform(img, np.eye(2)[None], np.zeros((1, 2)))
    >>> bool(np.array_equal(same, img))
    True
"""
from __future__ import annotations

import numpy as np

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("bilinear", "nearest")


def check_choice(value, name, choices):
    if value not in choices:
        raise ValueError(f"Unknown `{name}`: {value!r}. Expected one of {list(choices)}.")
    return value


def _map_index(i, n, fill_mode):
    """Integer source indices ``i`` folded into [0, n) per fill mode; also a mask of indices inside."""
    inside = (i >= 0) & (i < n)
    if fill_mode == "reflect":
        i = np.mod(i, 2 * n)
        i = np.where(i >= n, 2 * n - 1 - i, i)
    elif fill_mode == "wrap":
        i = np.mod(i, n)
    else:                                   # nearest; constant masks the outside afterwards
        i = np.clip(i, 0, n - 1)
    return i, inside


def plan(shape, maps, shifts, fill_mode="reflect", interpolation="bilinear"):
    """Where each output pixel of images of ``shape`` (N, H, W, C) reads from: a list of (flat source
    index into the N*H*W pixels, weight, inside-the-image mask) per corner, each of shape (N, H, W)."""
    n, h, w = shape[:3]
    cy, cx = (h - 1) / 2.0, (w - 1) / 2.0
    rows = np.arange(h, dtype=np.float64)[None, :, None] - cy
    cols = np.arange(w, dtype=np.float64)[None, None, :] - cx
    m = np.asarray(maps, dtype=np.float64)[:, :, :, None, None]
    shifts = np.asarray(shifts, dtype=np.float64)
    sy = m[:, 0, 0] * rows + m[:, 0, 1] * cols + cy - shifts[:, 0, None, None]
    sx = m[:, 1, 0] * rows + m[:, 1, 1] * cols + cx - shifts[:, 1, None, None]
    if interpolation == "nearest":
        corners = [(np.floor(sy + 0.5).astype(np.int64), np.floor(sx + 0.5).astype(np.int64), 1.0)]
    else:
        y0, x0 = np.floor(sy), np.floor(sx)
        wy, wx = sy - y0, sx - x0
        y0, x0 = y0.astype(np.int64), x0.astype(np.int64)
        corners = [(y0, x0, (1 - wy) * (1 - wx)), (y0, x0 + 1, (1 - wy) * wx),
                   (y0 + 1, x0, wy * (1 - wx)), (y0 + 1, x0 + 1, wy * wx)]
    base = (np.arange(n) * h)[:, None, None]
    steps = []
    for yi, xi, weight in corners:
        yi, inside_y = _map_index(yi, h, fill_mode)
        xi, inside_x = _map_index(xi, w, fill_mode)
        inside = inside_y & inside_x if fill_mode == "constant" else None
        steps.append(((base + yi) * w + xi, np.broadcast_to(weight, yi.shape), inside))
    return steps


def apply_plan(images, steps, fill_value=0.0):
    """The resampled images: out = sum over corners of weight * image[source] (fill_value outside)."""
    pixels = images.reshape(-1, images.shape[-1])
    out = np.zeros(images.shape, dtype=np.float64)
    for index, weight, inside in steps:
        values = pixels[index]
        if inside is not None:
            values = np.where(inside[..., None], values, fill_value)
        out += weight[..., None] * values
    return out.astype(images.dtype, copy=False)


def adjoint_plan(grad, steps):
    """dL/d(images) from dL/d(out): each corner's weight * grad added back to its source pixel (the
    transpose of apply_plan, a linear map of the images)."""
    n_pixels, channels = grad.size // grad.shape[-1], grad.shape[-1]
    dx = np.zeros((n_pixels, channels), dtype=np.float64)
    for index, weight, inside in steps:
        w = weight if inside is None else np.where(inside, weight, 0.0)
        for c in range(channels):
            dx[:, c] += np.bincount(index.ravel(), weights=(w * grad[..., c]).ravel(), minlength=n_pixels)
    return dx.reshape(grad.shape).astype(grad.dtype, copy=False)


def transform(images, maps, shifts, fill_mode="reflect", interpolation="bilinear", fill_value=0.0):
    """``images`` (N, H, W, C) resampled through ``maps`` (N, 2, 2) and ``shifts`` (N, 2, rows then
    columns, in pixels), as the module docstring says; same shape and dtype."""
    return apply_plan(images, plan(images.shape, maps, shifts, fill_mode, interpolation), fill_value)


def rotations(angles):
    """(N, 2, 2) maps from output to source for rotations by ``angles`` (radians, counter-clockwise)."""
    c, s = np.cos(angles), np.sin(angles)
    return np.stack([np.stack([c, s], -1), np.stack([-s, c], -1)], -2)


def as_nhwc(x, name):
    """``x`` as (N, H, W, C): a batch of grey images (N, H, W) gains a channel axis; the undo function."""
    x = np.asarray(x)
    if x.ndim == 4:
        return x, lambda y: y
    if x.ndim == 3:
        return x[..., None], lambda y: y[..., 0]
    raise ValueError(f"{name} expects a batch of images of shape (batch, height, width, channels) or "
                     f"(batch, height, width); received shape {x.shape}.")
