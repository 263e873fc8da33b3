"""plot.image_grid: a grid of images saved as a PNG."""
import numpy as np
import pytest

import neuronet.plot as nplot


def test_image_grid_draws_one_panel_per_image_and_saves_a_png(tmp_path):
    images = np.random.default_rng(0).random((10, 8, 8, 1))
    fig = nplot.image_grid(images, titles=list(range(10)), ncols=4, path=tmp_path / "grid.png",
                           row_titles=["a", "b", "c"])
    shown = [ax for ax in fig.axes if ax.images]
    assert len(shown) == 10 and shown[3].get_title() == "3"
    assert (tmp_path / "grid.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_image_grid_refuses_a_flat_array_and_mismatched_titles():
    with pytest.raises(ValueError, match="shape"):
        nplot.image_grid(np.zeros((3, 4)))
    with pytest.raises(ValueError, match="titles"):
        nplot.image_grid(np.zeros((3, 4, 4)), titles=[1])
