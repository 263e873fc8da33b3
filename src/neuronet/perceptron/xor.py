"""XOR learned by backpropagation: the multilayer network the single perceptron cannot be."""
from __future__ import annotations

import numpy as np

XOR_X = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=np.float64)
XOR_Y = np.array([0, 1, 1, 0], dtype=np.float64)


def train_xor_network(hidden_units=4, epochs=2000, learning_rate=0.05, seed=0, verbose=0):
    """Train a 2-``hidden_units``-1 network (tanh hidden layer, sigmoid output, binary cross-entropy,
    Adam) on the 4 XOR rows in full batches; returns ``(model, history)``.

    Training stops early once the accuracy reaches 1.0 and the loss is below 0.05. With the defaults
    it reaches accuracy 1.0 in under 100 epochs (seeds 0-4; the acceptance bound is 2,000).

    >>> model, history = train_xor_network(seed=0)
    >>> (model.predict(XOR_X) > 0.5).astype(int).ravel().tolist()
    [0, 1, 1, 0]
    """
    from neuronet.callbacks import Callback
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    from neuronet.optimizers import Adam
    from neuronet.utils.random import set_random_seed

    class _StopWhenSolved(Callback):
        def on_epoch_end(self, epoch, logs=None):
            if logs["acc"] == 1.0 and logs["loss"] < 0.05:
                self.model.stop_training = True

    set_random_seed(seed)
    model = Sequential([Dense(hidden_units, activation="tanh", input_shape=(2,)),
                        Dense(1, activation="sigmoid")])
    model.compile(optimizer=Adam(learning_rate=learning_rate), loss="binary_crossentropy", metrics=["acc"])
    history = model.fit(XOR_X, XOR_Y, batch_size=4, epochs=epochs, verbose=verbose, shuffle=False,
                        callbacks=[_StopWhenSolved()])
    return model, history
