"""Learning-rate schedules: formulas, config round trips, use inside an optimizer and fit."""
import math

import numpy as np
import pytest

from neuronet.layers import Dense
from neuronet.models import Sequential
from neuronet.optimizers import SGD, Adam
from neuronet import optimizers
from neuronet.optimizers import SGD, schedules
from neuronet.optimizers.schedules import (CosineDecay, ExponentialDecay, InverseTimeDecay, PiecewiseConstant, PiecewiseConstantDecay, PolynomialDecay)


RNG0 = np.random.default_rng(0)


def _schedules():
    from neuronet.optimizers import schedules as S
    return [S.ExponentialDecay(0.05, 2, 0.5), S.InverseTimeDecay(0.05, 1, 1.0),
            S.PiecewiseConstantDecay([1, 2], [0.05, 0.02, 0.01]), S.PolynomialDecay(0.05, 3, 0.001),
            S.CosineDecay(0.01, 4, warmup_target=0.05, warmup_steps=2)]


@pytest.mark.parametrize("index", range(5))
def test_schedule_as_learning_rate_inside_fit_follows_the_step(index, float64):
    """A linear model without bias under SGD: w_{k+1} = w_k - schedule(k) * dL/dw, one batch per step."""
    schedule = _schedules()[index]
    x = RNG0.normal(size=(12, 1))
    y = 3.0 * x
    model = Sequential([Dense(1, input_dim=1, use_bias=False, kernel_initializer="zeros")])
    model.compile(optimizer=SGD(lr=schedule), loss="mse")
    model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    w = 0.0
    for k in range(3):
        xb, yb = x[4 * k:4 * k + 4, 0], y[4 * k:4 * k + 4, 0]
        w -= schedule(k) * np.mean(2 * (w * xb - yb) * xb)
    assert model.optimizer.iterations == 3
    assert model.get_weights()[0][0, 0] == pytest.approx(w, rel=1e-12)


STEPS = [0, 1, 5, 10, 15, 37, 100]


def test_exponential_decay():
    s, st = ExponentialDecay(0.1, 10, 0.9), ExponentialDecay(0.1, 10, 0.9, staircase=True)
    for k in STEPS:
        assert s(k) == pytest.approx(0.1 * 0.9 ** (k / 10), rel=1e-12)
        assert st(k) == pytest.approx(0.1 * 0.9 ** (k // 10), rel=1e-12)


def test_inverse_time_decay_is_the_notes_one_over_one_plus_decay_rate_epoch():
    s, st = InverseTimeDecay(0.2, 4, 0.5), InverseTimeDecay(0.2, 4, 0.5, staircase=True)
    for k in STEPS:
        assert s(k) == pytest.approx(0.2 / (1 + 0.5 * k / 4), rel=1e-12)
        assert st(k) == pytest.approx(0.2 / (1 + 0.5 * (k // 4)), rel=1e-12)
    per_epoch = InverseTimeDecay(0.2, decay_steps=1, decay_rate=1.0)   # alpha = alpha0 / (1 + rate * epoch)
    assert [per_epoch(e) for e in range(4)] == pytest.approx([0.2, 0.1, 0.2 / 3, 0.05])


def test_piecewise_constant():
    s = PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
    assert [s(k) for k in (0, 10, 11, 20, 21, 1000)] == [1.0, 1.0, 0.5, 0.5, 0.1, 0.1]
    assert PiecewiseConstant is PiecewiseConstantDecay
    assert isinstance(schedules.get_schedule({"class_name": "PiecewiseConstant",
                                              "config": s.get_config()}), PiecewiseConstantDecay)
    with pytest.raises(ValueError, match="1 less"):
        PiecewiseConstantDecay([10, 20], [1.0, 0.5])
    with pytest.raises(ValueError, match="`boundaries`"):
        PiecewiseConstantDecay([20, 10], [1.0, 0.5, 0.1])


def test_polynomial_decay():
    s = PolynomialDecay(0.1, 10, end_learning_rate=0.01, power=2.0)
    c = PolynomialDecay(0.1, 10, end_learning_rate=0.01, power=2.0, cycle=True)
    for k in STEPS:
        kk = min(k, 10)
        assert s(k) == pytest.approx((0.1 - 0.01) * (1 - kk / 10) ** 2 + 0.01, rel=1e-12)
        d = 10 * (1 if k == 0 else math.ceil(k / 10))
        assert c(k) == pytest.approx((0.1 - 0.01) * (1 - k / d) ** 2 + 0.01, rel=1e-12)
    assert PolynomialDecay(1.0, 5).end_learning_rate == 0.0001 and PolynomialDecay(1.0, 5).power == 1.0


def test_cosine_decay_with_and_without_warmup():
    s = CosineDecay(0.1, 20, alpha=0.1)
    for k in STEPS:
        kk = min(k, 20)
        assert s(k) == pytest.approx(0.1 * (0.9 * 0.5 * (1 + math.cos(math.pi * kk / 20)) + 0.1), rel=1e-12)
    w = CosineDecay(0.0, 20, warmup_target=0.1, warmup_steps=10)
    for k in STEPS:
        if k < 10:
            want = 0.1 * k / 10
        else:
            want = 0.1 * 0.5 * (1 + math.cos(math.pi * min(k - 10, 20) / 20))
        assert w(k) == pytest.approx(want, rel=1e-12, abs=1e-15)
    assert w(10) == pytest.approx(0.1) and w(1000) == pytest.approx(0.0, abs=1e-15)


ALL = [ExponentialDecay(0.1, 10, 0.9, staircase=True), InverseTimeDecay(0.1, 3, 0.5),
       PiecewiseConstantDecay([5, 9], [0.3, 0.2, 0.1]), PolynomialDecay(0.1, 7, 0.001, 0.5, cycle=True),
       CosineDecay(0.01, 50, alpha=0.05, warmup_target=0.1, warmup_steps=5)]


@pytest.mark.parametrize("schedule", ALL, ids=lambda s: type(s).__name__)
def test_config_round_trip_and_use_in_an_optimizer(schedule):
    config = schedules.serialize_schedule(schedule)
    clone = schedules.get_schedule(config)
    assert type(clone) is type(schedule) and clone.get_config() == schedule.get_config()
    assert [clone(k) for k in STEPS] == [schedule(k) for k in STEPS]
    opt = optimizers.get({"class_name": "Adam", "config": {"learning_rate": config}})
    assert opt.learning_rate == schedule(0)
    assert optimizers.Adam.from_config(opt.get_config()).get_config() == opt.get_config()


@pytest.mark.parametrize("make, arg", [
    (lambda: ExponentialDecay(0.1, 0, 0.9), "decay_steps"), (lambda: InverseTimeDecay(0.1, -1, 0.5), "decay_steps"),
    (lambda: PolynomialDecay(0.1, 0), "decay_steps"), (lambda: CosineDecay(0.1, 0), "decay_steps"),
    (lambda: CosineDecay(0.1, 10, warmup_steps=-1), "warmup_steps"),
])
def test_invalid_arguments(make, arg):
    with pytest.raises(ValueError, match=f"`{arg}`"):
        make()


def test_plain_function_schedule_runs_but_cannot_be_serialized():
    opt = SGD(learning_rate=lambda step: 0.1 / (step + 1))
    assert opt.learning_rate == 0.1
    with pytest.raises(ValueError, match="Cannot serialize"):
        opt.get_config()
