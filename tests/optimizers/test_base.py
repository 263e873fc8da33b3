"""Behaviour every optimizer shares: update formulas, Keras defaults, names, checks, clipping, state."""
import math

import numpy as np
import pytest

import neuronet
from neuronet.layers import Dense
from neuronet.layers.normalization import BatchNormalization
from neuronet.models import Sequential
from neuronet.optimizers import SGD, Adagrad, Adam, RMSprop
from neuronet import optimizers
from neuronet.optimizers import SGD, Adadelta, Adagrad, Adam, Adamax, AdamW, Nadam, OPTIMIZERS, RMSprop


def test_keras_2_decay_is_lr_over_one_plus_decay_times_iterations():
    """The Keras 2 spelling decay=d: step t (counted from 0) uses lr / (1 + d * t), exactly; the optimizer
    holds the equivalent InverseTimeDecay schedule, so its config round-trips."""
    from neuronet.optimizers.schedules import InverseTimeDecay
    lr, d = 0.1, 0.5
    opt = SGD(lr=lr, decay=d)
    assert isinstance(opt.schedule, InverseTimeDecay)
    w, g = np.array([1.0]), np.array([1.0])
    expected = 1.0
    for t in range(4):
        opt.apply([w], [g])
        expected -= lr / (1 + d * t)
        assert w[0] == pytest.approx(expected, abs=1e-12)
    assert opt.learning_rate == pytest.approx(lr / (1 + d * 4))
    again = SGD.from_config(opt.get_config())
    assert again.schedule(7) == pytest.approx(lr / (1 + d * 7))
    adam = Adam(lr=0.01, decay=1e-6)
    assert adam.schedule(1000) == pytest.approx(0.01 / (1 + 1e-6 * 1000))


def test_keras_2_decay_checks_its_value():
    from neuronet.optimizers.schedules import ExponentialDecay
    with pytest.raises(ValueError, match="decay=-1"):
        SGD(decay=-1)
    with pytest.raises(ValueError, match="schedule"):
        SGD(learning_rate=ExponentialDecay(0.1, 10, 0.9), decay=0.1)


def test_keras_2_default_decay_of_zero_is_accepted_as_no_decay():
    """Keras 2's documented signature, Adam(lr=0.001, ..., decay=0.0, amsgrad=False), is pasted whole; a
    decay of 0 (or None) changes no rate, so it is accepted (Keras 3 accepts it too)."""
    from neuronet.optimizers import SGD, Adam, RMSprop
    adam = Adam(lr=0.001, beta_1=0.9, beta_2=0.999, decay=0.0, amsgrad=False)
    assert adam.learning_rate == pytest.approx(0.001)
    assert SGD(lr=0.01, momentum=0.0, decay=0, nesterov=False).learning_rate == pytest.approx(0.01)
    assert RMSprop(learning_rate=0.01, decay=None).get_config() == RMSprop(learning_rate=0.01).get_config()
    assert SGD(decay=np.float32(0.0)).get_config() == SGD().get_config()


def test_keras_2_default_epsilon_none_is_keras_epsilon():
    """Keras 2 documented Adam(lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=None, decay=0.0, amsgrad=False):
    epsilon=None meant the backend's 1e-7 (Keras 3's default); every optimizer with an epsilon takes it."""
    from neuronet import optimizers
    adam = optimizers.Adam(lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=None, decay=0.0, amsgrad=False)
    assert adam.get_config() == optimizers.Adam().get_config()
    for cls in (optimizers.RMSprop, optimizers.Adagrad, optimizers.Adadelta, optimizers.Adamax, optimizers.Nadam):
        assert cls(epsilon=None).epsilon == 1e-7 == cls().epsilon, cls
    with pytest.raises(ValueError, match="Received: epsilon=-1"):
        optimizers.Adam(epsilon=-1)


RNG0 = np.random.default_rng(0)


X13 = RNG0.normal(size=(120, 13)).astype("float32")


Y13 = (X13[:, :3].sum(axis=1) * 2 + 20).astype("float32")


def _schedules():
    from neuronet.optimizers import schedules as S
    return [S.ExponentialDecay(0.05, 2, 0.5), S.InverseTimeDecay(0.05, 1, 1.0),
            S.PiecewiseConstantDecay([1, 2], [0.05, 0.02, 0.01]), S.PolynomialDecay(0.05, 3, 0.001),
            S.CosineDecay(0.01, 4, warmup_target=0.05, warmup_steps=2)]


@pytest.mark.parametrize("name", ["sgd", "adam", "adamw", "adamax", "nadam", "adagrad", "adadelta", "rmsprop"])
def test_every_optimizer_accepts_lr_alias_and_a_schedule_in_fit(name):
    from neuronet import optimizers
    cls = type(optimizers.get(name))
    assert cls(lr=0.05).learning_rate == 0.05
    model = Sequential([Dense(1, input_shape=(13,))])
    for schedule in _schedules():
        model.compile(optimizer=cls(lr=schedule), loss="mse")
        history = model.fit(X13, Y13, batch_size=40, epochs=1, verbose=0)
        assert np.isfinite(history.history["loss"][0]) and model.optimizer.iterations == 3


A = np.array([1.0, 3.0, 0.2, 10.0])           # L(w) = 0.5 * sum(A * w^2), dL/dw = A * w


W0 = np.array([1.0, -2.0, 0.5, 0.3])


def loss(w):
    return 0.5 * float(np.sum(A * w * w))


def run(opt, steps=3, w0=W0):
    w, out = w0.copy(), []
    for _ in range(steps):
        opt.apply([w], [A * w])
        out.append(w.copy())
    return out


# ---- the formulas, written independently of the implementation (plain NumPy, no in-place tricks) ----
def ref_sgd(lr, momentum=0.0, nesterov=False, steps=3):
    w, v, out = W0.copy(), np.zeros(4), []
    for _ in range(steps):
        g = A * w
        if momentum == 0:
            w = w - lr * g
        else:
            v = momentum * v - lr * g
            w = w + (momentum * v - lr * g if nesterov else v)
        out.append(w)
    return out


def ref_adagrad(lr, init=0.1, eps=1e-7, steps=3):
    w, h, out = W0.copy(), np.full(4, init), []
    for _ in range(steps):
        g = A * w
        h = h + g * g
        w = w - lr * g / np.sqrt(h + eps)
        out.append(w)
    return out


def ref_adadelta(lr, rho=0.95, eps=1e-7, steps=3):
    w, eg, ed, out = W0.copy(), np.zeros(4), np.zeros(4), []
    for _ in range(steps):
        g = A * w
        eg = rho * eg + (1 - rho) * g ** 2
        dw = -np.sqrt(ed + eps) / np.sqrt(eg + eps) * g
        ed = rho * ed + (1 - rho) * dw ** 2
        w = w + lr * dw
        out.append(w)
    return out


def ref_rmsprop(lr, rho=0.9, momentum=0.0, eps=1e-7, centered=False, steps=3):
    w, h, a, s, out = W0.copy(), np.zeros(4), np.zeros(4), np.zeros(4), []
    for _ in range(steps):
        g = A * w
        h = rho * h + (1 - rho) * g ** 2
        a = rho * a + (1 - rho) * g
        inc = lr * g / np.sqrt((h - a ** 2 if centered else h) + eps)
        s = momentum * s + inc
        w = w - (s if momentum else inc)
        out.append(w)
    return out


def ref_adam(lr, b1=0.9, b2=0.999, eps=1e-7, amsgrad=False, wd=0.0, steps=3):
    w, m, v, vmax, out = W0.copy(), np.zeros(4), np.zeros(4), np.zeros(4), []
    for t in range(1, steps + 1):
        g = A * w
        w = w - lr * wd * w
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        vmax = np.maximum(vmax, v)
        m_hat, v_hat = m / (1 - b1 ** t), (vmax if amsgrad else v) / (1 - b2 ** t)
        eps_hat = eps / math.sqrt(1 - b2 ** t)         # Keras' epsilon is the paper's "epsilon hat"
        w = w - lr * m_hat / (np.sqrt(v_hat) + eps_hat)
        out.append(w)
    return out


def ref_adamax(lr, b1=0.9, b2=0.999, eps=1e-7, steps=3):
    w, m, u, out = W0.copy(), np.zeros(4), np.zeros(4), []
    for t in range(1, steps + 1):
        g = A * w
        m = b1 * m + (1 - b1) * g
        u = np.maximum(b2 * u, np.abs(g))
        w = w - lr / (1 - b1 ** t) * m / (u + eps)
        out.append(w)
    return out


def ref_nadam(lr, b1=0.9, b2=0.999, eps=1e-7, steps=3):
    w, m, v, out = W0.copy(), np.zeros(4), np.zeros(4), []
    mu = [b1 * (1 - 0.5 * 0.96 ** t) for t in range(0, steps + 2)]
    for t in range(1, steps + 1):
        g = A * w
        p_t = math.prod(mu[1:t + 1])
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat = mu[t + 1] * m / (1 - p_t * mu[t + 1]) + (1 - mu[t]) * g / (1 - p_t)
        v_hat = v / (1 - b2 ** t)
        w = w - lr * m_hat / (np.sqrt(v_hat) + eps)
        out.append(w)
    return out


FORMULA_CASES = [
    (lambda: SGD(0.05), lambda: ref_sgd(0.05)),
    (lambda: SGD(0.05, momentum=0.9), lambda: ref_sgd(0.05, 0.9)),
    (lambda: SGD(0.05, momentum=0.9, nesterov=True), lambda: ref_sgd(0.05, 0.9, True)),
    (lambda: Adagrad(0.1), lambda: ref_adagrad(0.1)),
    (lambda: Adagrad(lr=0.1, epsilon=10 ** -10), lambda: ref_adagrad(0.1, eps=1e-10)),
    (lambda: Adadelta(1.0), lambda: ref_adadelta(1.0)),
    (lambda: RMSprop(0.01), lambda: ref_rmsprop(0.01)),
    (lambda: RMSprop(0.01, rho=0.8, momentum=0.5, centered=True),
     lambda: ref_rmsprop(0.01, rho=0.8, momentum=0.5, centered=True)),
    (lambda: Adam(0.1), lambda: ref_adam(0.1)),
    (lambda: Adam(lr=0.1, beta_1=0.9, beta_2=0.9), lambda: ref_adam(0.1, b2=0.9)),
    (lambda: Adam(0.1, amsgrad=True), lambda: ref_adam(0.1, amsgrad=True)),
    (lambda: AdamW(0.1), lambda: ref_adam(0.1, wd=0.004)),
    (lambda: AdamW(0.1, weight_decay=0.5), lambda: ref_adam(0.1, wd=0.5)),
    (lambda: Adamax(0.1), lambda: ref_adamax(0.1)),
    (lambda: Nadam(0.1), lambda: ref_nadam(0.1)),
    (lambda: Nadam(0.1, beta_1=0.8, beta_2=0.99), lambda: ref_nadam(0.1, 0.8, 0.99)),
]


@pytest.mark.parametrize("make, reference", FORMULA_CASES)
def test_first_three_updates_match_the_formula(make, reference):
    got, want = run(make()), reference()
    for step, (g, w) in enumerate(zip(got, want), 1):
        np.testing.assert_allclose(g, w, rtol=0, atol=1e-12, err_msg=f"step {step}")
    assert not np.allclose(got[0], W0) and not np.allclose(got[2], got[1])


KERAS_DEFAULTS = {
    SGD: {"learning_rate": 0.01, "momentum": 0.0, "nesterov": False},
    Adam: {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7, "amsgrad": False},
    AdamW: {"learning_rate": 0.001, "weight_decay": 0.004, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7,
            "amsgrad": False},
    Adamax: {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7},
    Nadam: {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7},
    Adagrad: {"learning_rate": 0.001, "initial_accumulator_value": 0.1, "epsilon": 1e-7},
    Adadelta: {"learning_rate": 0.001, "rho": 0.95, "epsilon": 1e-7},
    RMSprop: {"learning_rate": 0.001, "rho": 0.9, "momentum": 0.0, "epsilon": 1e-7, "centered": False},
}


ALL = list(KERAS_DEFAULTS)


@pytest.mark.parametrize("cls", ALL)
def test_defaults_equal_keras(cls):
    opt = cls()
    for key, value in KERAS_DEFAULTS[cls].items():
        assert getattr(opt, key) == value, key
    assert opt.clipnorm is None and opt.clipvalue is None and opt.global_clipnorm is None
    assert opt.name == cls.__name__.lower()


def test_string_names_and_the_notes_spellings():
    for name in ("sgd", "adam", "adamax", "rmsprop", "adagrad", "adadelta", "nadam", "adamw"):
        assert isinstance(optimizers.get(name), OPTIMIZERS.lookup(name))
    assert type(optimizers.get("RMSprop")) is RMSprop
    assert type(optimizers.get(Nadam)) is Nadam          # the notes' Talos grid passes the class
    assert Adagrad(lr=0.001, epsilon=10 ** -10).epsilon == 1e-10
    assert RMSprop(lr=0.001, rho=0.9).learning_rate == 0.001
    assert Adam(lr=0.001, beta_1=0.9, beta_2=0.9).beta_2 == 0.9
    opt = SGD(lr=0.001, momentum=0.9)
    assert opt.lr == opt.learning_rate == 0.001 and opt.momentum == 0.9
    with pytest.raises(ValueError, match="Did you mean 'adam'"):
        optimizers.get("adan")


@pytest.mark.parametrize("cls, kwargs, arg", [
    (SGD, {"momentum": -0.1}, "momentum"), (SGD, {"momentum": 1.5}, "momentum"),
    (SGD, {"learning_rate": -1.0}, "learning_rate"), (Adam, {"lr": float("nan")}, "learning_rate"),
    (Adam, {"beta_1": 1.0}, "beta_1"), (Adam, {"beta_2": -0.5}, "beta_2"), (Adam, {"epsilon": -1e-7}, "epsilon"),
    (AdamW, {"weight_decay": -0.1}, "weight_decay"), (AdamW, {"weight_decay": None}, "weight_decay"),
    (Adamax, {"beta_2": 1.2}, "beta_2"), (Nadam, {"beta_1": 2}, "beta_1"),
    (Adagrad, {"initial_accumulator_value": -0.1}, "initial_accumulator_value"),
    (Adagrad, {"epsilon": "small"}, "epsilon"), (Adadelta, {"rho": 1.0}, "rho"),
    (RMSprop, {"rho": -0.1}, "rho"), (RMSprop, {"momentum": 2.0}, "momentum"),
    (SGD, {"clipnorm": 0}, "clipnorm"), (SGD, {"clipvalue": -1}, "clipvalue"),
    (SGD, {"global_clipnorm": float("inf")}, "global_clipnorm"),
])
def test_invalid_hyper_parameters_name_the_argument(cls, kwargs, arg):
    with pytest.raises(ValueError, match=f"`{arg}`"):
        cls(**kwargs)


def test_misuse_messages():
    with pytest.raises(ValueError, match="not both"):
        Adam(learning_rate=0.1, lr=0.1)
    with pytest.raises(ValueError, match="Only one of"):
        SGD(clipnorm=1.0, clipvalue=1.0)
    with pytest.raises(TypeError, match="beta1"):
        Adam(beta1=0.9)


@pytest.mark.parametrize("opt", [SGD(0.05), SGD(0.05, momentum=0.9), SGD(0.05, momentum=0.9, nesterov=True),
                                 Adagrad(0.5), Adadelta(1.0, epsilon=1e-4), RMSprop(0.01), RMSprop(0.01, centered=True),
                                 RMSprop(0.01, momentum=0.5), Adam(0.05), Adam(0.05, amsgrad=True),
                                 AdamW(0.05), Adamax(0.05), Nadam(0.05)], ids=repr)
def test_every_optimizer_minimizes_a_quadratic(opt):
    w = W0.copy()
    for _ in range(300):
        opt.apply([w], [A * w])
    assert loss(w) < 0.1 * loss(W0)


@pytest.mark.parametrize("cls", ALL)
def test_float32_stays_float32_in_place(cls):
    opt = cls(momentum=0.9) if cls is SGD else cls()
    w = W0.astype(np.float32)
    buffer = w
    for _ in range(3):
        opt.apply([w], [(A * w).astype(np.float32)])
    assert w is buffer and w.dtype == np.float32
    assert all(s.dtype == np.float32 for s in opt.variables)
    assert isinstance(opt.learning_rate, float)


@pytest.mark.parametrize("cls", ALL)
def test_a_step_allocates_no_parameter_sized_temporaries(cls):
    import tracemalloc
    opt = cls(momentum=0.9) if cls is SGD else cls()
    w = np.ones(100_000, dtype=np.float32)
    g = np.full_like(w, 0.1)
    opt.apply([w], [g])                                  # first step creates slots and work arrays
    tracemalloc.start()
    try:
        opt.apply([w], [g])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < w.nbytes // 10


def test_clipnorm_acts_per_variable_on_the_flat_buffer():
    # two variables in one buffer: [3, 4] (norm 5) and [0.3, 0.4] (norm 0.5)
    g = np.array([3.0, 4.0, 0.3, 0.4])
    w = np.zeros(4)
    SGD(1.0, clipnorm=1.0).apply([w], [g], segments=np.array([0, 2, 4]))
    np.testing.assert_allclose(-w, [0.6, 0.8, 0.3, 0.4])
    w = np.zeros(4)
    SGD(1.0, clipnorm=1.0).apply([w], [g])               # no segments: one variable, norm 5.0099...
    np.testing.assert_allclose(-w, g / np.linalg.norm(g))
    w1, w2 = np.zeros(2), np.zeros(2)
    SGD(1.0, clipnorm=1.0).apply([w1, w2], [g[:2], g[2:]])
    np.testing.assert_allclose(-np.concatenate([w1, w2]), [0.6, 0.8, 0.3, 0.4])


def test_global_clipnorm_and_clipvalue():
    g1, g2 = np.array([3.0, 0.0]), np.array([0.0, 4.0])
    w1, w2 = np.zeros(2), np.zeros(2)
    SGD(1.0, global_clipnorm=2.5).apply([w1, w2], [g1, g2])       # global norm 5 -> scaled by 0.5
    np.testing.assert_allclose([-w1, -w2], [[1.5, 0.0], [0.0, 2.0]])
    w1 = np.zeros(2)
    SGD(1.0, global_clipnorm=10.0).apply([w1], [g1])              # under the limit: untouched
    np.testing.assert_allclose(-w1, g1)
    w = np.zeros(3)
    g = np.array([-5.0, 0.2, 7.0])
    SGD(1.0, clipvalue=0.5).apply([w], [g])
    np.testing.assert_allclose(-w, [-0.5, 0.2, 0.5])
    assert g[0] == -5.0                                            # the caller's gradient is left alone


def test_weight_decay_on_any_optimizer_is_decoupled():
    w = W0.copy()
    SGD(0.1, weight_decay=0.5).apply([w], [A * W0])
    np.testing.assert_allclose(w, W0 * (1 - 0.1 * 0.5) - 0.1 * A * W0, atol=1e-15)
    assert SGD(weight_decay=0.5).get_config()["weight_decay"] == 0.5


@pytest.mark.parametrize("cls", ALL)
def test_config_round_trip(cls):
    opt = cls(learning_rate=0.02, clipnorm=2.0)
    clone = cls.from_config(opt.get_config())
    assert clone.get_config() == opt.get_config()
    via_registry = optimizers.get(optimizers.serialize(opt))
    assert type(via_registry) is cls and via_registry.get_config() == opt.get_config()
    assert repr(opt).startswith(f"{cls.__name__}(learning_rate=0.02")


@pytest.mark.parametrize("cls", ALL)
def test_state_round_trip_continues_identically(cls):
    opt = cls(learning_rate=0.05)
    w = W0.copy()
    run_state = run(opt, 3, w0=w)[-1]
    state = opt.get_state()
    resumed = cls.from_config(opt.get_config())
    resumed.set_state(state)
    a, b = run(opt, 3, w0=run_state), run(resumed, 3, w0=run_state)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert resumed.iterations == opt.iterations == 6


def test_learning_rate_can_be_set_between_steps():
    opt = RMSprop(0.01)
    w = W0.copy()
    opt.apply([w], [A * w])
    opt.learning_rate = np.float32(0.001)               # what ReduceLROnPlateau does
    assert not isinstance(opt.learning_rate, np.floating) and opt.lr == pytest.approx(0.001)
    opt.lr = 0.002                                      # the notes' attribute name
    assert opt.learning_rate == 0.002
    with pytest.raises(ValueError, match="learning_rate"):
        opt.learning_rate = -1


def test_schedule_as_learning_rate():
    from neuronet.optimizers.schedules import ExponentialDecay, InverseTimeDecay
    sched = InverseTimeDecay(0.1, decay_steps=1, decay_rate=1.0)
    opt = SGD(learning_rate=sched)
    w, rates = np.array([0.0]), []
    for _ in range(3):
        rates.append(opt.learning_rate)
        opt.apply([w], [np.array([1.0])])
    np.testing.assert_allclose(rates, [0.1, 0.05, 0.1 / 3])       # step 0, 1, 2
    np.testing.assert_allclose(w, [-(0.1 + 0.05 + 0.1 / 3)])
    clone = SGD.from_config(opt.get_config())
    assert isinstance(clone.schedule, InverseTimeDecay) and clone.get_config() == opt.get_config()
    with pytest.raises(TypeError, match="schedule"):
        opt.learning_rate = 0.01
    opt.learning_rate = ExponentialDecay(0.1, 10, 0.5)             # a schedule can replace a schedule
    assert opt.learning_rate == pytest.approx(0.1 * 0.5 ** 0.3)


def test_the_rate_in_get_state_is_a_plain_float_however_it_was_set():
    from neuronet import backend as K
    opt = SGD(learning_rate=0.1)
    opt.learning_rate = opt.lr                          # the LearningRate read back from the optimizer
    assert type(opt.get_state()["learning_rate"]) is float
    K.set_value(opt.lr, 0.02)
    state = opt.get_state()
    assert type(state["learning_rate"]) is float and state["learning_rate"] == 0.02


def test_setting_schedule_none_keeps_the_scheduled_rate_as_a_plain_float():
    from neuronet.optimizers.schedules import ExponentialDecay
    sched = ExponentialDecay(0.1, decay_steps=1, decay_rate=0.5)
    opt = SGD(learning_rate=sched)
    w = np.ones(3, dtype=np.float32)
    for _ in range(2):
        opt.apply([w], [np.ones(3, dtype=np.float32)])
    opt.schedule = None                                 # what lr_find does before its sweep
    state = opt.get_state()
    assert type(state["learning_rate"]) is float and state["learning_rate"] == pytest.approx(0.025)
    assert opt.learning_rate == pytest.approx(0.025) and opt.schedule is None
    opt.learning_rate = 0.5                             # numeric rates may now be set
    opt.apply([w], [np.ones(3, dtype=np.float32)])
    assert w.dtype == np.float32 and opt.get_state()["learning_rate"] == 0.5
    opt.schedule = sched                                # and the schedule put back
    assert opt.get_state()["learning_rate"] is None and opt.learning_rate == pytest.approx(0.1 * 0.5 ** 3)


# ---- the notes' chapter 27: Boston regression trained with each of the notes' optimizers -------------
def _boston_split():
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler
    try:
        from neuronet.datasets import load_boston
        X, y = load_boston(return_X_y=True)
    except ImportError:                                   # stand-in until the datasets module lands
        from sklearn.datasets import load_diabetes
        X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


NOTES_OPTIMIZERS = {
    "momentum": lambda: SGD(lr=0.001, momentum=0.9),
    "adagrad": lambda: Adagrad(lr=0.001, epsilon=10 ** -10),
    "rmsprop": lambda: RMSprop(lr=0.001, rho=0.9),
    "adam": lambda: Adam(lr=0.001, beta_1=0.9, beta_2=0.9),
}


def _ann(n_features, optimizer, batch_norm):
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    model = Sequential()
    model.add(Dense(128, activation="relu", input_shape=(n_features,)))
    for units in (64, 64, 32):
        if batch_norm:
            from neuronet.layers import BatchNormalization
            model.add(BatchNormalization())
        model.add(Dense(units, activation="relu"))
    if batch_norm:
        model.add(BatchNormalization())
    model.add(Dense(1))
    model.compile(loss="mse", optimizer=optimizer, metrics=["mae"])
    return model


@pytest.mark.parametrize("batch_norm", [False, True], ids=["plain", "batchnorm"])
@pytest.mark.parametrize("name", list(NOTES_OPTIMIZERS))
def test_notes_boston_network_learns_with_each_optimizer(name, batch_norm):
    if batch_norm and not hasattr(__import__("neuronet.layers").layers, "BatchNormalization"):
        pytest.skip("BatchNormalization not available yet")
    X_train, X_test, y_train, y_test = _boston_split()
    model = _ann(X_train.shape[1], NOTES_OPTIMIZERS[name](), batch_norm)
    model.fit(X_train, y_train, batch_size=64, epochs=1, verbose=0, seed=0)
    first_loss, first_mae = model.evaluate(X_test, y_test, verbose=0)
    model.fit(X_train, y_train, batch_size=64, epochs=8, verbose=0, seed=1)
    last_loss, last_mae = model.evaluate(X_test, y_test, verbose=0)
    assert np.isfinite(last_loss) and last_loss < first_loss and last_mae < first_mae
    assert model.layers[0].params["kernel"].dtype == np.float32


def _adam_state():
    opt, w = Adam(), np.ones(5, "float32")
    opt.apply([w], [np.full(5, 0.5, "float32")])
    return opt, w


@pytest.mark.parametrize("edit, message", [
    (lambda s: s.update(iterations=-1), "iterations"),
    (lambda s: s.update(iterations=1.5), "iterations"),
    (lambda s: s.update(iterations=True), "iterations"),
    (lambda s: s.update(learning_rate=float("nan")), "learning_rate"),
    (lambda s: s.update(learning_rate=-0.1), "learning_rate"),
    (lambda s: s["slots"]["0"].update(m=np.zeros(4, "float32")), "shape|parameter is"),
    (lambda s: s["slots"]["0"].update(m=np.zeros(5, "float64")), "parameter is"),
    (lambda s: s["slots"]["0"].update(m=np.zeros(5, "int32")), "float array"),
    (lambda s: s["slots"]["0"].update(m=np.full(5, np.inf, "float32")), "NaN or infinite"),
    (lambda s: s["slots"]["0"].pop("v"), "keeps the slots"),
    (lambda s: s["slots"].update({"1": s["slots"]["0"]}), "parameter index"),
    (lambda s: s["slots"].update({"-1": s["slots"].pop("0")}), "parameter index"),
    (lambda s: s.update(slots=[]), "get_state"),
])
def test_set_state_checks_every_piece_and_changes_nothing_on_error(edit, message):
    opt, w = _adam_state()
    before = opt.get_state()
    state = opt.get_state()
    edit(state)
    with pytest.raises(ValueError, match=message):
        opt.set_state(state, [w])
    after = opt.get_state()
    assert after["iterations"] == before["iterations"] == 1 and after["learning_rate"] == before["learning_rate"]
    assert all(np.array_equal(after["slots"]["0"][k], v) for k, v in before["slots"]["0"].items())


def test_set_state_round_trips_and_copies():
    opt, w = _adam_state()
    state = opt.get_state()
    fresh = Adam()
    fresh.set_state(state, [w])
    state["slots"]["0"]["m"][:] = 7          # the optimizer keeps its own copies
    assert fresh.iterations == 1 and not np.array_equal(fresh.get_state()["slots"]["0"]["m"], state["slots"]["0"]["m"])


def _slots_subnormal_count(opt):
    return sum(int(((s != 0) & (np.abs(s) < np.finfo(s.dtype).tiny)).sum()) for s in opt.variables)


@pytest.mark.parametrize("cls", ALL)
def test_subnormal_slot_values_are_flushed_to_zero_every_16_steps(cls):
    opt = cls(momentum=0.9) if cls is SGD else cls()
    w = np.ones(64, dtype=np.float32)
    opt.apply([w], [np.full_like(w, 0.5)])
    for slot in opt.variables:
        slot[:32] = 1e-40                                 # subnormal in float32
    zero = np.zeros_like(w)
    while opt.iterations < 15:
        opt.apply([w], [zero])
    assert _slots_subnormal_count(opt) > 0
    opt.apply([w], [zero])                                # step 16
    assert opt.iterations == 16 and _slots_subnormal_count(opt) == 0


@pytest.mark.parametrize("cls", ALL)
def test_flushing_subnormal_slots_leaves_the_weights_bit_identical(cls, monkeypatch):
    # Half the units are "dead" (gradient exactly 0) after the first steps: their moments decay through
    # the subnormal range, which the flush cuts short without moving any weight.
    rng = np.random.default_rng(0)
    w0 = rng.standard_normal(256).astype(np.float32)
    grads = [rng.standard_normal(256).astype(np.float32) * (1 if t < 5 else np.r_[np.ones(128), np.zeros(128)])
             for t in range(1200)]
    results = []
    for flush in (True, False):
        if not flush:
            monkeypatch.setattr(cls, "flush_subnormal_slots", lambda self: None)
        opt = cls(momentum=0.9) if cls is SGD else cls()
        w = w0.copy()
        for g in grads:
            opt.apply([w], [g.astype(np.float32)])
        results.append((w, _slots_subnormal_count(opt)))
    (flushed, n_flushed), (kept, n_kept) = results
    np.testing.assert_array_equal(flushed, kept)
    assert n_flushed == 0                                 # 1200 is a multiple of 16
    assert n_kept == (0 if cls in (Adagrad, Adadelta) else 128)   # the slots that decay reach subnormals


@pytest.mark.parametrize("cls", ALL)
def test_a_long_buffer_updated_block_by_block_equals_one_update_of_the_whole(cls, monkeypatch):
    from neuronet.optimizers import base
    rng = np.random.default_rng(1)
    w0 = rng.standard_normal(2 * base.UPDATE_BLOCK + 123).astype(np.float32)
    grads = [rng.standard_normal(w0.size).astype(np.float32) for _ in range(3)]
    results = []
    for block in (base.UPDATE_BLOCK, w0.size):         # blocks, then the whole buffer in one update
        monkeypatch.setattr(base, "UPDATE_BLOCK", block)
        opt = cls(momentum=0.9) if cls is SGD else cls()
        w = w0.copy()
        for g in grads:
            opt.apply([w], [g])
        results.append((w, [s.copy() for s in opt.variables]))
    (blocked, blocked_slots), (whole, whole_slots) = results
    np.testing.assert_array_equal(blocked, whole)
    for a, b in zip(blocked_slots, whole_slots):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("cls", ALL)
def test_float16_slots_are_not_flushed_as_their_smallest_normal_is_a_live_value(cls, monkeypatch):
    # float16's smallest normal number is 6.1e-5: Adam's v of a 0.01 gradient, (1 - 0.999) * 1e-4, stays
    # below it for hundreds of steps, and zeroing it would multiply the next step by sqrt(v) / epsilon.
    rng = np.random.default_rng(2)
    w0 = rng.standard_normal(64).astype(np.float16)
    grads = [(rng.standard_normal(64) * 0.01).astype(np.float16) for _ in range(48)]
    results = []
    for flush in (True, False):
        if not flush:
            monkeypatch.setattr(cls, "flush_subnormal_slots", lambda self: None)
        opt = cls(momentum=0.9) if cls is SGD else cls()
        w = w0.copy()
        for g in grads:
            opt.apply([w], [g])
        results.append(w)
    np.testing.assert_array_equal(*results)
