"""callbacks.base.attached: callbacks added to every fit inside a block (how a search reaches the fit of a
model function it does not control)."""
import numpy as np
import pytest

from neuronet.callbacks import Callback
from neuronet.callbacks.base import attached
from neuronet.layers import Dense
from neuronet.models import Sequential


class Epochs(Callback):
    def __init__(self):
        super().__init__()
        self.seen = []

    def on_epoch_end(self, epoch, logs=None):
        self.seen.append(epoch)


def _fit(callbacks=None, epochs=2):
    model = Sequential([Dense(1, input_shape=(2,))])
    model.compile("sgd", "mse")
    model.fit(np.zeros((4, 2)), np.zeros(4), epochs=epochs, verbose=0, callbacks=callbacks)


def test_every_fit_in_the_block_calls_the_attached_callback_once_per_epoch():
    cb = Epochs()
    with attached(cb):
        _fit()
        _fit(callbacks=[cb], epochs=1)          # passed explicitly too: still called once
    _fit()                                      # outside the block: not called
    assert cb.seen == [0, 1, 0]


def test_only_callbacks_can_be_attached():
    with pytest.raises(TypeError, match="Callback instances"):
        with attached(lambda epoch, logs: None):
            pass
