"""Continuation: a run stopped at an epoch budget and continued in a fresh fit equals one uninterrupted fit."""
import pickle

import numpy as np
import pytest

from neuronet.callbacks.base import attached
from neuronet.search.continuation import Continuation
from neuronet.utils.random import using_generator


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(90, 5))
    return x, (x @ rng.normal(size=5) > 0).astype(np.float64)


def model_fn(x, y, xv, yv, params):
    from neuronet.layers import Dense, Dropout
    from neuronet.models import Sequential
    model = Sequential([Dense(8, activation="relu", input_shape=(5,)), Dropout(0.3), Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["acc"])
    history = model.fit(x, y, epochs=params["epochs"], batch_size=16, shuffle=True, validation_data=(xv, yv),
                        verbose=0)
    return history, model


def test_continued_run_equals_one_uninterrupted_fit(float64):
    x, y = _data()
    with using_generator(5):
        history, model = model_fn(x, y, x[:20], y[:20], {"epochs": 9})
    checkpoint = None
    for budget, seed in ((2, 5), (5, 17), (9, 99)):     # a fresh model each rung: its own draws are replaced
        rung = Continuation(budget, checkpoint)
        with using_generator(seed), attached(rung):
            continued, last = model_fn(x, y, x[:20], y[:20], {"epochs": 9})
        checkpoint = pickle.loads(pickle.dumps(rung.checkpoint))    # as a worker process returns it
        assert rung.stopped and rung.fits == 1 and last is rung.model
    assert rung.trained == 4
    assert last.get_weights()[0].dtype == np.float64
    assert continued.history == history.history and continued.epoch == history.epoch == list(range(9))
    for a, b in zip(model.get_weights(), last.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert last.optimizer.get_state()["iterations"] == model.optimizer.get_state()["iterations"]


def test_a_fit_that_ends_before_the_budget_is_not_stopped(float64):
    x, y = _data()
    rung = Continuation(budget=10)
    with using_generator(1), attached(rung):
        history, _ = model_fn(x, y, x[:20], y[:20], {"epochs": 3})
    assert not rung.stopped and rung.trained == 3 and rung.checkpoint["position"]["epoch"] == 3


def test_continuing_with_another_batch_size_is_refused():
    x, y = _data()
    rung = Continuation(budget=2)
    with using_generator(1), attached(rung):
        model_fn(x, y, x[:20], y[:20], {"epochs": 5})
    with pytest.raises(ValueError, match="cannot continue the run"), attached(Continuation(4, rung.checkpoint)):
        model_fn(x[:50], y[:50], x[:20], y[:20], {"epochs": 5})
