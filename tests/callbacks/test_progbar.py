"""The progress bar: Keras' time units and the live samples / time-left line."""
import re

import numpy as np

from neuronet.layers import Dense
from neuronet.models import Sequential


def test_summary_line_picks_the_time_unit_as_keras_2_progbar():
    """Keras 2: s/sample from 1 s (and for 0), ms/sample from 1 ms, us/sample below."""
    from neuronet.callbacks.progbar import summary_line
    assert " - 6s 3s/sample - " in summary_line(2, 6.0, {"loss": 1.0}, bar=False)
    assert " - 0s 0s/sample - " in summary_line(10, 0.0, {"loss": 1.0}, bar=False)
    assert " - 0s 5ms/sample - " in summary_line(10, 0.05, {"loss": 1.0}, bar=False)
    assert " - 0s 30us/sample - " in summary_line(1000, 0.03, {"loss": 1.0}, bar=False)


def test_live_progress_bar_shows_samples_and_time_left():
    import io
    from neuronet.callbacks import ProgbarLogger
    stream = io.StringIO()
    model = Sequential([Dense(1, activation="sigmoid", input_shape=(2,))])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(np.ones((40, 2), "float32"), np.ones(40), batch_size=8, epochs=1, verbose=0,
              callbacks=[ProgbarLogger(verbose=1, stream=stream)])
    out = stream.getvalue()
    assert re.search(r"\d+/40 \[[ =]{30}\] - ETA: (\?|\d\d:\d\d)", out), out   # ? until tqdm has a rate
    assert re.search(r"40/40 \[={30}\] - \d+s \d+[um]s/sample - loss: \d\.\d{4}", out), out
