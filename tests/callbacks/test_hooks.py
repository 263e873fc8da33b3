"""Which callback hooks fit, evaluate and predict call, with which batches."""
import numpy as np

from neuronet.callbacks import LambdaCallback
from neuronet.layers import Dense
from neuronet.models import Sequential
from neuronet.optimizers import Adam


def _relu_model(d=4):
    model = Sequential([Dense(16, activation="relu", input_shape=(d,)), Dense(1)])
    model.compile(optimizer=Adam(learning_rate=0.01), loss="mse")
    return model


def test_predict_calls_the_predict_hooks_and_returns_the_same_outputs():
    calls = []
    cb = LambdaCallback(on_predict_begin=lambda logs: calls.append("begin"),
                        on_predict_batch_begin=lambda b, logs: calls.append(("bb", b)),
                        on_predict_batch_end=lambda b, logs: calls.append(("be", b, logs["outputs"].shape)),
                        on_predict_end=lambda logs: calls.append("end"))
    model = _relu_model(3)
    x = np.random.default_rng(0).normal(size=(5, 3))
    out = model.predict(x, batch_size=4, callbacks=[cb])
    assert calls == ["begin", ("bb", 0), ("be", 0, (4, 1)), ("bb", 1), ("be", 1, (1, 1)), "end"]
    np.testing.assert_array_equal(out, model.predict(x, batch_size=4))


def test_evaluate_calls_the_test_batch_hooks_with_batch_size_batches():
    import numpy as np
    from neuronet.callbacks import Callback
    from neuronet.layers import Dense
    from neuronet.models import Sequential

    seen = []

    class Spy(Callback):
        def on_test_batch_end(self, batch, logs=None):
            seen.append((batch, logs["size"]))

    model = Sequential([Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse")
    x = np.ones((10, 2))
    loss = model.evaluate(x, np.zeros(10), batch_size=4, verbose=0, callbacks=[Spy()])
    assert seen == [(0, 4), (1, 4), (2, 2)]
    assert loss == model.evaluate(x, np.zeros(10), verbose=0)


def test_fit_validation_calls_the_test_hooks_with_validation_batch_size_batches():
    """Keras' fit validates through evaluate(callbacks=callbacks): the fit's callbacks get on_test_begin,
    on_test_batch_begin/end (batches of validation_batch_size, default batch_size) and on_test_end."""
    import numpy as np
    from neuronet.callbacks import Callback
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    seen = []

    class Spy(Callback):
        def on_test_begin(self, logs=None):
            seen.append("begin")

        def on_test_batch_end(self, batch, logs=None):
            seen.append((batch, logs["size"]))

        def on_test_end(self, logs=None):
            seen.append(("end", round(logs["loss"], 6)))

    x = np.random.default_rng(0).normal(size=(30, 3)).astype("float32")
    model = Sequential([Dense(1, input_shape=(3,))])
    model.compile("sgd", "mse")
    history = model.fit(x, x[:, 0], epochs=2, batch_size=4, validation_data=(x[:10], x[:10, 0]),
                        validation_batch_size=4, validation_freq=2, verbose=0, callbacks=[Spy()])
    assert seen == ["begin", (0, 4), (1, 4), (2, 2), ("end", round(history.history["val_loss"][0], 6))]
    seen.clear()
    model.fit(x, x[:, 0], epochs=1, batch_size=6, validation_data=(x[:10], x[:10, 0]), verbose=0,
              callbacks=[Spy()])
    assert seen[1:3] == [(0, 6), (1, 4)]
