"""The learning-rate finder: restores everything bit for bit, sweeps the asked range, finds the dip."""
import numpy as np
import pytest

import neuronet
from neuronet.layers import Dense
from neuronet.models.lr_finder import lr_find, suggest
from neuronet.models import Sequential
from neuronet.utils.random import global_generator


def _problem(seed=0, n=512):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3))
    return x, x @ [1.0, -2.0, 0.5] + 0.1 * rng.normal(size=n)


def _model(optimizer="adam"):
    model = Sequential([Dense(8, activation="tanh", input_shape=(3,)), Dense(1)])
    model.compile(optimizer=optimizer, loss="mse")
    return model


def test_restores_weights_optimizer_state_lr_and_rng_bit_for_bit():
    x, y = _problem()
    model = _model("adam")
    model.fit(x, y, epochs=1, verbose=0)           # non-empty Adam slots and step count
    weights = model.get_weights()
    flat = model.parameters.values.copy()
    state = model.optimizer.get_state()
    lr = model.optimizer.learning_rate
    rng_state = global_generator().bit_generator.state
    result = model.lr_find(x, y)
    assert len(result.lrs) > 10
    for a, b in zip(weights, model.get_weights()):
        assert a.dtype == b.dtype and np.array_equal(a, b)
    assert np.array_equal(flat, model.parameters.values)
    after = model.optimizer.get_state()
    assert after["iterations"] == state["iterations"]
    for key, slots in state["slots"].items():
        for name, arr in slots.items():
            assert np.array_equal(arr, after["slots"][key][name])
    assert model.optimizer.learning_rate == lr
    assert global_generator().bit_generator.state == rng_state


def test_training_after_lr_find_equals_training_without_it():
    x, y = _problem()
    neuronet.set_random_seed(7)
    a = _model("sgd")
    a.fit(x, y, epochs=2, verbose=0, seed=1)
    neuronet.set_random_seed(7)
    b = _model("sgd")
    b.lr_find(x, y, num_steps=20)
    b.fit(x, y, epochs=2, verbose=0, seed=1)
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        assert np.array_equal(wa, wb)


def test_schedule_is_put_back():
    from neuronet.optimizers import SGD
    from neuronet.optimizers.schedules import ExponentialDecay
    x, y = _problem()
    schedule = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    model = _model(SGD(learning_rate=schedule))
    model.lr_find(x, y, num_steps=10)
    assert model.optimizer.schedule is schedule


def test_sweep_is_exponential_within_range_and_curve_dips_then_rises():
    x, y = _problem()
    model = _model("sgd")
    result = lr_find(model, x, y, start_lr=1e-5, end_lr=10.0, num_steps=100)
    lrs, losses = result.lrs, result.losses
    assert lrs[0] == pytest.approx(1e-5)
    assert np.allclose(np.diff(np.log(lrs)), np.log(1e6) / 99)
    assert 1e-5 <= result.suggestion <= lrs[-1] and result["suggestion"] == result.suggestion
    i_min = int(np.argmin(losses))
    assert 0 < i_min < len(losses) - 1
    assert losses[i_min] < 0.8 * losses[:10].mean()  # it decreases ...
    assert losses[-1] > 2 * losses[i_min]           # ... then rises (and the sweep stops there)
    assert result.stopped_early and len(lrs) < 100
    assert result.method == "steepest" and result.suggestion < result.min_loss_lr


def test_default_steps_is_an_epoch_but_at_least_100():
    x, y = _problem(n=320)
    model = _model("sgd")
    assert len(lr_find(model, x, y, end_lr=1e-3).lrs) == 100
    x, y = _problem(n=4000)
    assert len(lr_find(model, x, y, end_lr=1e-3, batch_size=32).lrs) == 125


def test_suggest_falls_back_to_min_over_ten():
    lrs = np.array([1e-3, 1e-2, 1e-1, 1.0])
    assert suggest(lrs, [1.0, 2.0, 3.0, 4.0]) == (1e-3, 1e-3, "min/10")
    assert suggest(lrs, [2.0, 1.0, 3.0, 9.0])[0] == pytest.approx(1e-3)


@pytest.mark.parametrize("kwargs, name", [
    ({"start_lr": 1.0, "end_lr": 0.1}, "start_lr"), ({"start_lr": 0.1, "end_lr": 0.1}, "start_lr"),
    ({"start_lr": 0.0}, "start_lr"), ({"start_lr": -1e-3}, "start_lr"), ({"end_lr": -1.0}, "end_lr"),
    ({"end_lr": float("inf")}, "end_lr"), ({"num_steps": 1}, "num_steps"), ({"num_steps": 0}, "num_steps"),
    ({"batch_size": 0}, "batch_size"), ({"smooth": 1.0}, "smooth"), ({"diverge": 1.0}, "diverge"),
])
def test_bad_arguments_raise_value_error_naming_them(kwargs, name):
    x, y = _problem(n=64)
    model = _model("sgd")
    with pytest.raises(ValueError, match=f"`{name}`"):
        model.lr_find(x, y, **kwargs)


def test_uncompiled_model_is_refused():
    with pytest.raises(ValueError, match="compile"):
        lr_find(Sequential([Dense(1, input_shape=(3,))]), *_problem(n=32))


def test_batch_normalization_moving_statistics_are_restored():
    from neuronet.layers import BatchNormalization
    x, y = _problem()
    model = Sequential([Dense(8, input_shape=(3,)), BatchNormalization(), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, epochs=1, verbose=0)
    bn = model.layers[1]
    states = {k: v.copy() for k, v in bn.states.items()}
    assert states
    model.lr_find(x, y, num_steps=20)
    for k, v in states.items():
        assert np.array_equal(bn.states[k], v)
