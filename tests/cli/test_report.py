"""neuronet.cli.report and figures: one self-contained HTML page with figures readable at 100 % zoom."""
import os
import re
import struct

import numpy as np
import pytest

import neuronet.saving.format as fmt
from neuronet.cli import figures, report


def _png_size(png):
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


def test_page_embeds_every_image_and_links_nothing():
    png = figures.learning_curves_png({"loss": [1.0, 0.5], "val_loss": [1.1, 0.6]})
    page = report.render_html("run <1>", [{"title": "t", "notes": ["a & b"], "warnings": ["w"],
                                           "metrics": {"mae": 2.4137, "r2": np.float64(0.9)},
                                           "figures": [("Learning curves", png)],
                                           "options": {"--layers": [64, 32], "--lr": None},
                                           "summary": "Model: <x>"}])
    sources = re.findall(r'src="([^"]*)"', page)
    assert len(sources) == 1 and sources[0].startswith("data:image/png;base64,")
    assert "href=" not in page and "http" not in page
    assert "run &lt;1&gt;" in page and "a &amp; b" in page and "Model: &lt;x&gt;" in page
    assert "<td class=\"num\">2.414</td>" in page and "<td>64, 32</td>" in page


def test_text_is_at_least_ten_pixels_and_figures_fit_a_laptop_window():
    assert min(figures.FONT.values()) * figures.DPI / 72 >= 10
    width, height = _png_size(figures.learning_curves_png({k: [3.0, 2.0, 1.0] for k in
                                                           ("loss", "val_loss", "mae", "val_mae", "acc")}))
    assert width == 700 and height == 2 * 340                 # three quantities: panels wrapped in two rows
    for _, png in figures.regression_pngs(np.arange(10.0), np.arange(10.0) + 1, "price"):
        assert _png_size(png)[0] <= 1180                     # the page's width


@pytest.fixture
def ax():
    from neuronet.plot._common import pyplot
    plt = pyplot()
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_log_axis_when_values_span_more_than_ten_times(ax):
    figures._fit_axis(ax, [np.array([50.0, 8.0, 3.0, 2.0])])
    assert ax.get_yscale() == "log"


def test_a_towering_first_epoch_does_not_flatten_a_linear_axis(ax):
    curve = np.array([3.0, 0.60, 0.55, 0.52, 0.50])        # spans 6x: linear, epoch 1 drawn off the top
    ax.plot(np.arange(1, 6), curve)
    figures._fit_axis(ax, [curve])
    low, high = ax.get_ylim()
    assert ax.get_yscale() == "linear" and high < 0.7 and low > 0.4


def test_best_epoch_is_the_lowest_validation_loss():
    assert figures.best_epoch({"loss": [3, 2, 1, 0.5], "val_loss": [3, 1, 2, np.nan]}) == 1
    assert figures.best_epoch({"loss": [3, 2, 1]}) == 2
    assert figures.best_epoch({}) is None


def test_classifier_figures_are_sklearn_displays():
    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(3), 20)
    proba = rng.dirichlet(np.ones(3), size=60)
    captions = [c for c, _ in figures.classification_pngs(y, proba, ["a", "b", "c"])]
    assert captions == ["Confusion matrix", "ROC and precision-recall curves"]
    many = np.repeat(np.arange(12), 5)
    captions = [c for c, _ in figures.classification_pngs(many, rng.dirichlet(np.ones(12), 60), list("abcdefghijkl"))]
    assert captions == ["Confusion matrix"]                  # twelve ROC curves would not be read


def test_report_files_are_written_atomically(tmp_path):
    report.write_json(tmp_path / "m.json", {"a": np.float32(1.5)})
    path = report.write_html(tmp_path, "t", [{"title": "s"}])
    assert (tmp_path / "m.json").read_text() == '{\n  "a": 1.5\n}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json", "report.html"] and path.endswith("report.html")


def test_cli_text_output_unwritable_names_path_and_keeps_previous(tmp_path, monkeypatch):
    from neuronet.cli.report import write_text
    path = tmp_path / "metrics.json"
    path.write_text("old")
    monkeypatch.setattr(fmt.os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    with pytest.raises(OSError, match="metrics.json.*No space left"):
        write_text(str(path), "new")
    assert path.read_text() == "old" and os.listdir(tmp_path) == ["metrics.json"]
