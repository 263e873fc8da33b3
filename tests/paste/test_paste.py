"""The paste suite: published Keras tutorials and guide sections (scripts/), each run as published with
only its import lines changed and its data swapped for local data of the same shape (README.md lists
them, their sources and why the ones that do not run do not).

A script in NOT_RUNNING must still fail, and for the reason recorded: when neuronet learns to run it, this
test fails and the script moves to the running ones (and README.md's count changes).
"""
import pathlib
import runpy

import matplotlib
import numpy as np
import pytest

SCRIPTS = pathlib.Path(__file__).resolve().parent / "scripts"

# script -> (the exception it stops with, a part of its message): why it does not run
NOT_RUNNING = {
    "tf_regression": (AttributeError, "has no attribute 'numpy'"),         # tensor.numpy(), tf.linspace
    "keras_custom_loss": (ValueError, "has no gradient that neuronet knows"),  # a loss in keras.ops
    "keras_sequential_ops": (AttributeError, "has no attribute 'ones'"),    # keras.ops.ones
    "homl_ch10_subclassing": (ValueError, "tuple of 2 arrays"),             # subclassed model, 2 in, 2 out
    "homl_ch10_tensorboard": (AttributeError, "has no attribute 'TensorBoard'"),
    "homl_ch10_hyperparameters": (AttributeError, "'function' object has no attribute 'evaluate'"),
}


def _scripts():
    return [pytest.param(path, id=path.stem) for path in sorted(SCRIPTS.glob("*.py"))]


def test_suite_has_at_least_twenty_running_tutorials():
    names = {path.stem for path in SCRIPTS.glob("*.py")}
    assert set(NOT_RUNNING) <= names
    assert len(names - set(NOT_RUNNING)) >= 20


@pytest.mark.slow
@pytest.mark.parametrize("script", _scripts())
def test_tutorial_runs_with_only_its_imports_changed(script, tmp_path, monkeypatch):
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    monkeypatch.chdir(tmp_path)                 # the scripts write their CSVs, models and checkpoints here
    state = np.random.get_state()               # the tutorials seed NumPy's global generator
    printing = np.get_printoptions()            # and set its print options
    try:
        if script.stem in NOT_RUNNING:
            error, message = NOT_RUNNING[script.stem]
            with pytest.raises(error, match=message):
                runpy.run_path(str(script), run_name="__main__")
        else:
            runpy.run_path(str(script), run_name="__main__")
    finally:
        np.random.set_state(state)
        np.set_printoptions(**printing)
        plt.close("all")
