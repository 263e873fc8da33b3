"""Which callback hooks fit, evaluate and predict call, with which batches: every hook name Keras documents
(and the Keras 2 train-batch aliases) at the right time."""
import numpy as np
import pytest

from neuronet.callbacks import Callback, LambdaCallback
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


# ---- every documented hook name, in order, through real fit / evaluate / predict ----------------------
N, BATCH, EPOCHS = 40, 16, 2          # 3 batches per epoch: 16, 16, 8
STEPS = -(-N // BATCH)


def make_model():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(N, 3)).astype("float32")
    y = (x[:, :1] > 0).astype("float32")
    model = Sequential([Dense(4, activation="relu", input_shape=(3,)), Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["acc"])
    return model, x, y


class Recorder(Callback):
    """Records (hook, argument) for the one hook named ``hook``, and every event in ``events``."""

    def __init__(self, hook, events):
        super().__init__()
        self.calls, self.events = [], events

        def record(*args):
            self.calls.append(args)
            self.events.append((hook,) + tuple(a for a in args[:1] if isinstance(a, int)))
        setattr(self, hook, record)


def run_all(hook):
    """fit (with validation), evaluate and predict, each with a callback overriding ``hook`` only,
    plus a marker callback recording where each phase starts, so the order can be checked."""
    model, x, y = make_model()
    events = []
    rec = Recorder(hook, events)
    marker = LambdaCallback(on_epoch_begin=lambda e, logs: events.append(("epoch", e)))
    model.fit(x, y, batch_size=BATCH, epochs=EPOCHS, validation_data=(x[:10], y[:10]), verbose=0,
              callbacks=[marker, rec])
    events.append(("evaluate",))
    model.evaluate(x, y, batch_size=BATCH, verbose=0, callbacks=[rec])
    events.append(("predict",))
    model.predict(x, batch_size=BATCH, callbacks=[rec])
    return rec, events


def phase(events, name):
    """The events after the marker ``name`` (up to the next marker)."""
    out, on = [], False
    for e in events:
        if e[0] in ("epoch", "evaluate", "predict"):
            on = e[0] == name
        elif on:
            out.append(e)
    return out


def test_on_train_begin_and_end_once_around_fit():
    for hook in ("on_train_begin", "on_train_end"):
        rec, events = run_all(hook)
        assert len(rec.calls) == 1
        first_epoch = events.index(("epoch", 0))
        assert (events.index((hook,)) < first_epoch) == (hook == "on_train_begin")


@pytest.mark.parametrize("hook", ["on_epoch_begin", "on_epoch_end"])
def test_epoch_hooks_once_per_epoch_with_the_epoch_index(hook):
    rec, _ = run_all(hook)
    assert [c[0] for c in rec.calls] == list(range(EPOCHS))
    if hook == "on_epoch_end":
        assert {"loss", "acc", "val_loss", "val_acc"} <= set(rec.calls[-1][1])


@pytest.mark.parametrize("hook", ["on_train_batch_begin", "on_train_batch_end",
                                  "on_batch_begin", "on_batch_end"])
def test_train_batch_hooks_and_their_keras_2_aliases_once_per_training_batch(hook):
    rec, events = run_all(hook)
    assert [c[0] for c in rec.calls] == list(range(STEPS)) * EPOCHS   # never in evaluate or predict
    assert phase(events, "evaluate") == [] and phase(events, "predict") == []
    if hook.endswith("end"):
        assert {"loss", "acc"} <= set(rec.calls[0][1])


def test_keras_guide_loss_history_records_one_loss_per_batch():
    # The keras.io "Writing your own callbacks" guide's LossHistory, as written there.
    class LossHistory(Callback):
        def on_train_begin(self, logs=None):
            self.losses = []

        def on_batch_end(self, batch, logs=None):
            self.losses.append(logs.get("loss"))

    model, x, y = make_model()
    history = LossHistory()
    model.fit(x, y, batch_size=BATCH, epochs=EPOCHS, verbose=0, callbacks=[history])
    assert len(history.losses) == STEPS * EPOCHS and all(np.isfinite(history.losses))


def test_overriding_on_train_batch_end_takes_precedence_over_the_alias_as_in_keras():
    class Both(Callback):
        def __init__(self):
            super().__init__()
            self.seen = []

        def on_train_batch_end(self, batch, logs=None):
            self.seen.append("train")

        def on_batch_end(self, batch, logs=None):
            self.seen.append("alias")

    model, x, y = make_model()
    cb = Both()
    model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0, callbacks=[cb])
    assert cb.seen == ["train"] * STEPS


@pytest.mark.parametrize("hook", ["on_test_begin", "on_test_end"])
def test_test_hooks_around_each_validation_and_evaluate(hook):
    rec, events = run_all(hook)
    assert len(rec.calls) == EPOCHS + 1                          # one validation per epoch + evaluate
    assert phase(events, "epoch") == [(hook,)] * EPOCHS           # inside fit's epochs
    assert phase(events, "evaluate") == [(hook,)] and phase(events, "predict") == []
    if hook == "on_test_end":
        assert {"loss", "acc"} <= set(rec.calls[-1][0])


@pytest.mark.parametrize("hook", ["on_test_batch_begin", "on_test_batch_end"])
def test_test_batch_hooks_once_per_validation_and_evaluate_batch(hook):
    rec, events = run_all(hook)
    val_steps = 1                                                 # 10 validation rows, one batch
    assert [c[0] for c in rec.calls] == [0] * EPOCHS * val_steps + list(range(STEPS))
    assert phase(events, "predict") == []


@pytest.mark.parametrize("hook", ["on_predict_begin", "on_predict_end"])
def test_predict_hooks_once_around_predict(hook):
    rec, events = run_all(hook)
    assert len(rec.calls) == 1 and phase(events, "predict") == [(hook,)]


@pytest.mark.parametrize("hook", ["on_predict_batch_begin", "on_predict_batch_end"])
def test_predict_batch_hooks_once_per_predict_batch(hook):
    rec, events = run_all(hook)
    assert [c[0] for c in rec.calls] == list(range(STEPS))
    assert len(phase(events, "predict")) == STEPS
    if hook == "on_predict_batch_end":
        assert sum(len(c[1]["outputs"]) for c in rec.calls) == N


def test_a_callback_without_batch_hooks_leaves_the_batch_hooks_unwanted():
    from neuronet.callbacks import CallbackList

    class EpochOnly(Callback):
        def on_epoch_end(self, epoch, logs=None):
            pass

    class Alias(Callback):
        def on_batch_begin(self, batch, logs=None):
            pass

    model, _, _ = make_model()
    cbs = CallbackList([EpochOnly()], model, {})
    assert not cbs.has("on_train_batch_begin") and not cbs.has("on_train_batch_end")
    cbs = CallbackList([Alias()], model, {})
    assert cbs.has("on_train_batch_begin") and cbs.has("on_batch_begin") and not cbs.has("on_train_batch_end")
