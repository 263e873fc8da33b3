"""The example scripts run and print the notes' output."""
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest


def test_regularization_comparison_example_runs_quickly():
    import importlib.util
    import pathlib
    path = pathlib.Path(__file__).resolve().parents[2] / "examples" / "regularization_comparison.py"
    spec = importlib.util.spec_from_file_location("regularization_comparison", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    results = module.main(["--epochs", "2", "--patience", "1"])
    assert list(results) == ["No Regularization", "L1 Regularization", "L2 Regularization", "Dropout",
                             "Early Stopping"]
    assert all(np.isfinite(v).all() and min(v) > 0 for v in results.values())


def test_vanishing_gradients_example_output(capsys):
    import runpy
    from pathlib import Path
    path = Path(__file__).resolve().parents[2] / "examples" / "vanishing_gradients.py"
    module = runpy.run_path(str(path))
    module["main"]()
    out = capsys.readouterr().out
    sigmoid_part, rest = out.split("10-layer ReLU network, He initialization")
    relu_part = rest.split("sigmoid net, per-epoch")[0]
    vanishing_line = [l for l in sigmoid_part.splitlines() if l.startswith("VANISHING")][0]
    assert "dense, dense_1" in vanishing_line                      # the first layers of the sigmoid net
    assert "VANISHING" not in relu_part and "No vanishing" in relu_part
    assert "DYING ReLUs" in out


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("script, expected", [
    ("boston_regression.py", ["Total params: 16,321", "test mae:"]),
    ("breast_cancer_classification.py", ["Total params: 4,097", "test acc:"]),
    ("wine_multiclass.py", ["['class_0', 'class_1', 'class_2']", "Total params: 3,075", "test acc:"]),
    ("optimizers_comparison.py", ["Adam"]),
    ("from_scratch_mlp.py", ["epoch   1  loss ", "epoch   3  loss ", "test accuracy "]),
])
def test_example_runs_and_prints_the_notes_output(script, expected):
    result = subprocess.run([sys.executable, str(EXAMPLES / script), "--epochs", "3"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    for text in expected:
        assert text in result.stdout, (text, result.stdout[-2000:])


def test_grid_search_cross_validation_example_runs_the_three_model_selection_steps():
    result = subprocess.run([sys.executable, str(EXAMPLES / "grid_search_cross_validation.py"), "--epochs", "4",
                             "--folds", "3"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert "3-fold accuracies: [" in out and "standard deviation" in out
    assert "'nb_epoch': " in out and "'optimizer': '" in out              # GridSearchCV's best_params_
    assert "72 configurations, best by val_fmeasure_acc:" in out          # the notes' Talos grid, all of it


def test_perceptron_gates_plot_example_writes_the_notes_gate_plots(tmp_path):
    result = subprocess.run([sys.executable, str(EXAMPLES / "perceptron_gates_plot.py"), "--out", str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "AND: w = (0.3, 0.3), b = 0.1, theta = 0.5 -> x2 = -1 x1 + 1.333" in result.stdout
    assert "NAND: w = (-0.2, -0.2), b = -0.2, theta = -0.5 -> x2 = -1 x1 + 1.5" in result.stdout
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["and_gate.png", "and_learned.png", "nand_gate.png", "or_gate.png", "xor_gate.png"]
    assert all((tmp_path / n).read_bytes()[:4] == b"\x89PNG" for n in names)    # no temporary files left


def test_wide_and_deep_example_trains_both_models_offline(tmp_path):
    result = subprocess.run([sys.executable, str(EXAMPLES / "wide_and_deep.py"), "--epochs", "2", "--verbose", "0",
                             "--plot", str(tmp_path / "model.png")], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert "Connected to" in out and "concat (Concatenate)" in out and "Total params: 1,176" in out
    assert "wide and deep: test mse:" in out and "val_expensive_acc" in out and "test price_mae:" in out
    assert ("synthetic data of the same shape" in out) != ("from scikit-learn's cache" in out)
    assert (tmp_path / "model.png").read_bytes()[:4] == b"\x89PNG"


def test_mnist_pydataset_augmentation_example_trains_784_50_10_through_a_pydataset(tmp_path, capsys):
    import runpy
    module = runpy.run_path(str(EXAMPLES / "mnist_pydataset_augmentation.py"))
    history = module["main"](["--epochs", "2", "--samples", "600", "--workers", "2",
                              "--plot", str(tmp_path / "grid.png")])
    out = capsys.readouterr().out
    assert "Total params: 39,760" in out and "test acc:" in out           # 784*50+50 + 50*10+10
    assert history.history["val_acc"][-1] > 0.5                           # well above chance (0.1)
    assert (tmp_path / "grid.png").stat().st_size > 0
