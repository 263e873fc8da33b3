"""A grid of images: samples of a data set, or several augmented versions of the same samples."""
from __future__ import annotations

import numpy as np

from neuronet.plot._common import finish, pyplot


def image_grid(images, titles=None, ncols=8, path=None, cmap="gray", row_titles=None):
    """``images`` (n, height, width) grey or (n, height, width, 3) colour, ``ncols`` per row, each with
    its title from ``titles`` (optional); ``row_titles`` label the rows. Returns the Figure.

    >>> # neuronet.plot.image_grid(x_train[:16], titles=y_train[:16], path='digits.png')
    """
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim not in (3, 4) or len(images) == 0:
        raise ValueError(f"`images` must be a non-empty array of shape (n, height, width) or (n, height, "
                         f"width, 3); received shape {images.shape}.")
    if titles is not None and len(titles) != len(images):
        raise ValueError(f"`titles` has {len(titles)} entries for {len(images)} images; give one per image.")
    plt = pyplot()
    ncols = min(ncols, len(images))
    nrows = -(-len(images) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.3 * ncols, 1.4 * nrows), squeeze=False)
    low, high = float(images.min()), float(images.max())
    for i, ax in enumerate(axes.ravel()):
        ax.set_xticks([])
        ax.set_yticks([])
        if i >= len(images):
            ax.axis("off")
            continue
        ax.imshow(images[i], cmap=cmap if images.ndim == 3 else None, vmin=low, vmax=high)
        if titles is not None:
            ax.set_title(str(titles[i]), fontsize=8)
    for r, label in enumerate(row_titles or []):
        axes[r, 0].set_ylabel(str(label), fontsize=8)
    return finish(fig, path)
