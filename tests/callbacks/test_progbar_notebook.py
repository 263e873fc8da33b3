"""fit(verbose=1) in a Jupyter notebook (a real kernel, run with nbclient): the live line updates with the
running loss while the cell runs, and the notebook ends up showing the notes' lines."""
import re

from nbrun import rendered_lines, run_cells, stdout_text

FIT = """
import time
import numpy as np
from neuronet.callbacks import LambdaCallback
from neuronet.layers import Dense
from neuronet.models import Sequential

x = np.random.default_rng(0).normal(size=(64, 2)).astype("float32")
y = (x[:, 0] > 0).astype("float32")
model = Sequential([Dense(4, activation="relu", input_shape=(2,)), Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["acc"])
slow = LambdaCallback(on_train_batch_end=lambda batch, logs: time.sleep(0.05))   # 16 batches of 50 ms
model.fit(x, y, batch_size=4, epochs=2, verbose=1, callbacks=[slow]);
"""
LIVE = re.compile(r"^ ?(\d+)/64 \[[=>.]{30}\] - ETA: \d+s - loss: \d\.\d{4} - acc: \d\.\d{4} *$")
CLOSING = re.compile(r"64/64 \[={30}\] - \d+s \d+[um]s/sample - loss: \d\.\d{4} - acc: \d\.\d{4}")


def test_fit_verbose_1_updates_the_bar_with_the_loss_in_a_notebook(tmp_path, monkeypatch):
    (cell,) = run_cells([FIT], tmp_path, monkeypatch)
    text = stdout_text(cell)
    live = [m for piece in re.split(r"[\r\n]", text) if (m := LIVE.match(piece))]
    assert len(live) >= 4, text                                  # redrawn while the epochs ran ...
    counts = [int(m.group(1)) for m in live]
    assert len(set(counts)) >= 4, text                           # ... as the samples advanced
    outputs_with_bar = [o for o in cell.outputs if o["output_type"] == "stream" and "ETA:" in o["text"]]
    assert len(outputs_with_bar) >= 2, cell.outputs              # sent to the notebook during the run
    shown = [line for line in rendered_lines(text) if line]
    assert shown[0] == "Train on 64 samples" and shown[1] == "Epoch 1/2" and shown[3] == "Epoch 2/2", shown
    assert len(shown) == 5 and CLOSING.fullmatch(shown[2]) and CLOSING.fullmatch(shown[4]), shown
