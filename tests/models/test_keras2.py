"""The Keras 2 spellings: fit(nb_epoch=), predict_classes / predict_proba, the *_generator aliases."""
import inspect

import numpy as np
import pytest

from neuronet.layers import Dense
from neuronet.models import Model, Sequential
from neuronet.utils import set_random_seed

RNG = np.random.default_rng(5)
X = RNG.normal(size=(40, 3)).astype(np.float32)
Y = (X[:, 0] > 0).astype(np.float32)


def _model(units=1, activation="sigmoid"):
    model = Sequential([Dense(4, activation="relu", input_dim=3), Dense(units, activation=activation)])
    model.compile(optimizer="sgd", loss="binary_crossentropy" if units == 1 else "categorical_crossentropy")
    return model


def test_fit_nb_epoch_is_epochs():
    set_random_seed(0)
    old = _model()
    h_old = old.fit(X, Y, nb_epoch=3, batch_size=8, verbose=0)
    set_random_seed(0)
    new = _model()
    h_new = new.fit(X, Y, epochs=3, batch_size=8, verbose=0)
    assert h_old.history == h_new.history and len(h_old.history["loss"]) == 3
    with pytest.raises(TypeError, match="nb_epoch"):
        old.fit(X, Y, epochs=2, nb_epoch=3)
    assert "epochs" in inspect.signature(Model.fit).parameters      # fit keeps Keras' own signature


def test_predict_classes_threshold_and_argmax():
    """Keras 2: (proba > 0.5).astype('int32') of shape (n, 1) for one unit; argmax(axis=-1) for several."""
    binary = _model()
    proba = binary.predict(X)
    classes = binary.predict_classes(X)
    assert classes.shape == (40, 1) and classes.dtype == np.int32
    np.testing.assert_array_equal(classes, (proba > 0.5).astype("int32"))
    multi = _model(3, "softmax")
    np.testing.assert_array_equal(multi.predict_classes(X, batch_size=7), multi.predict(X).argmax(axis=-1))


def test_predict_proba_is_predict_and_warns_outside_zero_one():
    model = _model()
    np.testing.assert_array_equal(model.predict_proba(X), model.predict(X))
    linear = _model(activation="linear")
    linear.layers[-1].bias[...] = 5.0
    with pytest.warns(UserWarning, match="invalid probability values"):
        linear.predict_proba(X)


def _fit_takes_generators():
    return "steps_per_epoch" in inspect.signature(Model.fit).parameters


@pytest.mark.skipif(not _fit_takes_generators(), reason="fit does not take generators (steps_per_epoch) yet")
def test_generator_aliases_call_fit_evaluate_predict():
    def batches():
        while True:
            for start in range(0, 40, 10):
                yield X[start:start + 10], Y[start:start + 10]

    set_random_seed(0)
    old = _model()
    h_old = old.fit_generator(batches(), steps_per_epoch=4, epochs=2, verbose=0)
    set_random_seed(0)
    new = _model()
    h_new = new.fit(batches(), steps_per_epoch=4, epochs=2, verbose=0)
    assert h_old.history == h_new.history
    assert old.evaluate_generator(batches(), steps=4) == pytest.approx(new.evaluate(batches(), steps=4, verbose=0))
    np.testing.assert_allclose(old.predict_generator((x for x, _ in batches()), steps=4), old.predict(X))


def test_generator_aliases_pass_their_arguments_through():
    """Whatever fit/evaluate/predict do with a generator, the aliases hand it over with Keras 2's
    steps arguments (checked here with the Keras 3 methods replaced by recorders)."""
    calls = {}
    model = _model()
    model.fit = lambda *a, **k: calls.setdefault("fit", (a, k))
    model.evaluate = lambda *a, **k: calls.setdefault("evaluate", (a, k))
    model.predict = lambda *a, **k: calls.setdefault("predict", (a, k))
    gen = iter(())
    model.fit_generator(gen, steps_per_epoch=5, epochs=3, validation_steps=2, workers=4)
    model.evaluate_generator(gen, steps=6)
    model.predict_generator(gen, steps=7)
    assert calls["fit"][0] == (gen,) and calls["fit"][1]["steps_per_epoch"] == 5
    assert calls["fit"][1]["epochs"] == 3 and calls["fit"][1]["validation_steps"] == 2
    assert "workers" not in calls["fit"][1]
    assert calls["evaluate"][1]["steps"] == 6 and calls["predict"][1]["steps"] == 7
