"""The notes' Keras chapters in examples/ run end to end (few epochs) and print what the notes print."""
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("script, expected", [
    ("boston_regression.py", ["Total params: 16,321", "test mae:"]),
    ("breast_cancer_classification.py", ["Total params: 4,097", "test acc:"]),
    ("wine_multiclass.py", ["['class_0', 'class_1', 'class_2']", "Total params: 3,075", "test acc:"]),
    ("optimizers_comparison.py", ["Adam"]),
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
