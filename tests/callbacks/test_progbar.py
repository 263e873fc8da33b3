"""The progress bar: Keras 2's closing line and time units, and the live line of fit(verbose=1) (running
loss and metrics, Keras 2's bar, fitted to the width without cutting a metric, redrawn at most 10 times a
second) and when fit pays for it."""
import io
import re
import sys
from types import SimpleNamespace

import numpy as np
import pytest

from neuronet.callbacks import CallbackList, ProgbarLogger
from neuronet.callbacks import progbar
from neuronet.callbacks.progbar import progress_rows
from neuronet.layers import Dense
from neuronet.models import Sequential

LOGS = {"loss": 0.4523, "acc": 0.875, "precision": 0.5, "recall": 0.25, "auc": 0.9}


def _model(metrics=()):
    model = Sequential([Dense(1, activation="sigmoid", input_shape=(2,))])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=list(metrics))
    return model


def _metrics_whole(rows, logs):
    """Every 'name: value' of ``logs`` appears whole in one row."""
    return all(any(f"{k}: {v:.4f}" in row for row in rows) for k, v in logs.items())


def test_summary_line_picks_the_time_unit_as_keras_2_progbar():
    """Keras 2: s/sample from 1 s (and for 0), ms/sample from 1 ms, us/sample below."""
    from neuronet.callbacks.progbar import summary_line
    assert " - 6s 3s/sample - " in summary_line(2, 6.0, {"loss": 1.0}, bar=False)
    assert " - 0s 0s/sample - " in summary_line(10, 0.0, {"loss": 1.0}, bar=False)
    assert " - 0s 5ms/sample - " in summary_line(10, 0.05, {"loss": 1.0}, bar=False)
    assert " - 0s 30us/sample - " in summary_line(1000, 0.03, {"loss": 1.0}, bar=False)


def test_live_line_shows_the_running_loss_with_keras_2_bar():
    stream = io.StringIO()
    _model().fit(np.ones((40, 2), "float32"), np.ones(40), batch_size=8, epochs=1, verbose=0,
                 callbacks=[ProgbarLogger(verbose=1, stream=stream)])
    out = stream.getvalue()
    assert re.search(r" 8/40 \[=====>\.{24}\] - ETA: \d+s - loss: \d\.\d{4}\r", out), out
    # the notes' closing line replaces it (after a carriage return and blanks over the live line)
    assert re.search(r"\r *\r40/40 \[={30}\] - \d+s \d+[um]s/sample - loss: \d\.\d{4}\n$", out), out


@pytest.mark.parametrize("columns", [80, 60, 45, 30])
def test_live_line_fits_the_width_without_cutting_a_metric(columns):
    rows = progress_rows(192, 340, 1.0, LOGS, columns, wrap=True)
    assert all(len(row) < columns for row in rows), rows
    assert _metrics_whole(rows, LOGS), rows
    assert rows[0].startswith("192/340")


def test_live_line_narrows_then_drops_the_bar_then_the_time_left():
    two = {"loss": 0.4523, "acc": 0.875}
    (full,) = progress_rows(192, 340, 1.0, two, 80)
    assert full == "192/340 [===============>..............] - ETA: 0s - loss: 0.4523 - acc: 0.8750"
    (narrow,) = progress_rows(192, 340, 1.0, two, 70)
    assert narrow == "192/340 [==========>.........] - ETA: 0s - loss: 0.4523 - acc: 0.8750"   # 69 columns
    assert progress_rows(192, 340, 1.0, two, 50) == ["192/340 - ETA: 0s - loss: 0.4523 - acc: 0.8750"]
    assert progress_rows(192, 340, 1.0, two, 42) == ["192/340 - loss: 0.4523 - acc: 0.8750"]


def test_metrics_wider_than_the_row_wrap_on_a_terminal_and_stay_whole_elsewhere():
    wide = dict(LOGS, f1_score=np.linspace(0, 1, 12))
    rows = progress_rows(5, 340, 1.0, wide, 80, wrap=True)
    assert len(rows) > 1 and all(len(row) < 80 for row in rows)
    assert "f1_score: [0.0000 0.0909 0.1818 ... 0.8182 0.9091 1.0000]" in "".join(rows)
    (row,) = progress_rows(5, 340, 1.0, wide, 80, wrap=False)      # a notebook wraps it itself
    assert row.startswith("  5/340 - loss: 0.4523") and _metrics_whole([row], LOGS)


def test_live_line_is_redrawn_at_most_ten_times_a_second(monkeypatch):
    clock = iter([0.0, 0.0, 0.01, 0.02, 0.05, 0.12, 0.15, 0.3] + [0.3] * 10)
    monkeypatch.setattr(progbar, "time", SimpleNamespace(perf_counter=lambda: next(clock)))
    stream = io.StringIO()
    _model().fit(np.ones((56, 2), "float32"), np.ones(56), batch_size=8, epochs=1, verbose=0,
                 shuffle=False, callbacks=[ProgbarLogger(stream=stream)])
    drawn = re.findall(r"(\d+)/56 \[[=>.]+\] - ETA", stream.getvalue())
    assert drawn == ["8", "40", "56"], stream.getvalue()       # batches ending at 0.0, 0.12 and 0.3 s


def test_only_a_shown_live_line_makes_fit_compute_each_batch(capsys):
    """The batch hook makes fit compute every batch's loss and metrics: verbose=2, and verbose=1 written
    to a file or pipe (no live line there), keep fit's epoch-end path."""
    model = _model()

    def hooked(cb):
        return CallbackList([cb], model, {"epochs": 1, "samples": 8}).has("on_train_batch_end")

    assert hooked(ProgbarLogger(verbose=1, stream=io.StringIO()))
    assert not hooked(ProgbarLogger(verbose=2, stream=io.StringIO()))
    assert not hooked(ProgbarLogger(verbose=1))          # sys.stdout is pytest's capture, not a terminal
    assert not hooked(progbar.make_progbar(2))


def test_notebook_output_is_detected_by_the_kernels_output_stream(monkeypatch):
    class OutStream(io.StringIO):     # stands for ipykernel.iostream.OutStream
        pass

    class KernelStream(OutStream):    # a kernel's own subclass (Spyder's, for one)
        pass
    assert not progbar.redraws_in_place(OutStream())
    monkeypatch.setitem(sys.modules, "ipykernel.iostream", SimpleNamespace(OutStream=OutStream))
    assert progbar.redraws_in_place(OutStream()) and progbar.redraws_in_place(KernelStream())
    assert not progbar.redraws_in_place(io.StringIO())
