"""Every hook name Keras documents is called by a real fit / evaluate / predict, at the right time."""
import numpy as np
import pytest

from neuronet.callbacks import Callback, LambdaCallback
from neuronet.layers import Dense
from neuronet.models import Sequential

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
