"""neuronet's Sequential trains exactly like the from-scratch reference of examples/from_scratch_mlp.py.

Both start from the same weights in float64 and take the same steps on the same fixed batches; after
every step the losses and all weights agree to 1e-12. The reference is itself checked against central
differences, so that agreement means both are right, not merely alike.
"""
import ast
import importlib.util
from pathlib import Path

import numpy as np
import pytest
from gradcheck import numeric_gradient

import neuronet
from neuronet.layers import Dense
from neuronet.models import Sequential
from neuronet.optimizers import SGD, Adam

TOL = 1e-12
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "from_scratch_mlp.py"


def load_reference():
    spec = importlib.util.spec_from_file_location("from_scratch_mlp", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ref = load_reference()

# name: (layer sizes, hidden activations, loss, output activation)
NETWORKS = {
    "regression": ([5, 8, 6, 2], ["relu", "relu"], "mse", "linear"),
    "binary": ([5, 8, 6, 1], ["relu", "sigmoid"], "binary_crossentropy", "sigmoid"),
    "multiclass": ([5, 7, 3], ["sigmoid"], "categorical_crossentropy", "softmax"),
}
# name: (neuronet optimizer, reference optimizer), built fresh for each test
OPTIMIZERS = {
    "sgd": (lambda: SGD(learning_rate=0.1), lambda: ref.SGD(lr=0.1)),
    "momentum": (lambda: SGD(learning_rate=0.05, momentum=0.9), lambda: ref.SGD(lr=0.05, momentum=0.9)),
    "adam": (lambda: Adam(learning_rate=0.01), lambda: ref.Adam(lr=0.01)),
}


def make_data(network, n=21, seed=0):
    """n samples with 5 features and targets for ``network``: real values, 0/1 labels or one-hot rows."""
    sizes, _, loss, _ = NETWORKS[network]
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, sizes[0]))
    if loss == "mse":
        y = rng.normal(size=(n, sizes[-1]))
    elif loss == "binary_crossentropy":
        y = (rng.random((n, 1)) < 0.5).astype(np.float64)
    else:
        y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], n)]
    return x, y


def both_networks(network, optimizer):
    """(reference MLP, its optimizer, neuronet Sequential in float64 with the reference's weights)."""
    sizes, hidden, loss, output = NETWORKS[network]
    net = ref.MLP(sizes, hidden=hidden, loss=loss, seed=1)
    neuronet.config.set_floatx("float64")
    model = Sequential([Dense(sizes[1], activation=hidden[0], input_shape=(sizes[0],))]
                       + [Dense(units, activation=act) for units, act in zip(sizes[2:-1], hidden[1:])]
                       + [Dense(sizes[-1], activation=output)])
    model.set_weights([net.params[f"{kind}{i}"].copy() for i in range(1, len(sizes)) for kind in "Wb"])
    make_model_opt, make_ref_opt = OPTIMIZERS[optimizer]
    model.compile(optimizer=make_model_opt(), loss=loss)
    return net, make_ref_opt(), model


def reference_weights(net):
    return [net.params[f"{kind}{i}"] for i in range(1, len(net.params) // 2 + 1) for kind in "Wb"]


def assert_same_weights(model, net, step):
    weights = model.get_weights()
    assert all(w.dtype == np.float64 for w in weights)
    for i, (got, want) in enumerate(zip(weights, reference_weights(net))):
        np.testing.assert_allclose(got, want, rtol=0, atol=TOL, err_msg=f"weight {i} after step {step}")


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("network", NETWORKS)
def test_train_on_batch_matches_the_reference_step_by_step(network, optimizer):
    net, ref_opt, model = both_networks(network, optimizer)
    x, y = make_data(network)
    start = model.get_weights()
    batches = [slice(0, 8), slice(8, 16), slice(16, 21)]     # the last one smaller: the mean's 1/n changes
    for step, batch in enumerate(batches * 3, start=1):
        loss = model.train_on_batch(x[batch], y[batch])
        ref_loss = net.train_step(x[batch], y[batch], ref_opt)
        assert loss == pytest.approx(ref_loss, rel=TOL, abs=TOL), f"loss of step {step}"
        assert_same_weights(model, net, step)
    moved = max(np.abs(w - w0).max() for w, w0 in zip(model.get_weights(), start))
    assert moved > 1e-2                                      # the steps did change the weights
    np.testing.assert_allclose(model.predict(x), net.predict(x), rtol=0, atol=TOL)


@pytest.mark.parametrize("network, optimizer", [("regression", "momentum"), ("multiclass", "adam")])
def test_fit_without_shuffling_matches_the_reference(network, optimizer):
    net, ref_opt, model = both_networks(network, optimizer)
    x, y = make_data(network)
    history = model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
    ref_losses = []
    for _ in range(3):      # an epoch's loss: the batches' losses before their steps, weighted by size
        sums = [net.train_step(x[s:s + 8], y[s:s + 8], ref_opt) * len(x[s:s + 8]) for s in range(0, 21, 8)]
        ref_losses.append(sum(sums) / len(x))
    np.testing.assert_allclose(history.history["loss"], ref_losses, rtol=TOL, atol=0)
    assert_same_weights(model, net, "the last")


@pytest.mark.parametrize("network", NETWORKS)
def test_reference_gradients_match_central_differences(network):
    sizes, hidden, loss, _ = NETWORKS[network]
    net = ref.MLP(sizes, hidden=hidden, loss=loss, seed=2)
    x, y = make_data(network, n=6, seed=3)
    _, grads = net.gradient(x, y)
    for key, param in net.params.items():
        expected = numeric_gradient(lambda: net.loss(x, y), param)
        np.testing.assert_allclose(grads[key], expected, rtol=1e-6, atol=1e-8, err_msg=key)


def test_reference_adam_is_keras_adam_where_epsilon_dominates():
    """With gradients near epsilon the place of epsilon decides the step: the reference's
    eps_hat = eps / sqrt(1 - beta_2^t) on sqrt(v_hat) gives Keras' eps on sqrt(v); eps on sqrt(v_hat)
    (the notes' formula taken literally) does not."""
    grads = [np.array([1e-9, -3e-8, 1e-7, 2e-6, -1e-3])]
    param = np.array([0.5, -0.2, 0.1, 1.0, 2.0])
    keras_param, ref_params = param.copy(), {"W": param.copy()}
    keras_adam, ref_adam = Adam(learning_rate=0.01), ref.Adam(lr=0.01)
    literal = {"W": param.copy()}
    m = v = 0.0
    for t in range(1, 6):
        keras_adam.apply_gradients(zip(grads, [keras_param]))
        ref_adam.update(ref_params, {"W": grads[0]})
        np.testing.assert_allclose(ref_params["W"], keras_param, rtol=0, atol=TOL, err_msg=f"step {t}")
        m = 0.9 * m + 0.1 * grads[0]
        v = 0.999 * v + 0.001 * grads[0] ** 2
        literal["W"] -= 0.01 * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-7)
    assert np.abs(literal["W"] - keras_param).max() > 1e-4


def imported_packages(nodes):
    names = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add(node.module.split(".")[0])
    return names


def test_reference_imports_only_numpy_and_the_standard_library():
    """An independent reference: NumPy at module level, scikit-learn's data set inside main() only."""
    tree = ast.parse(EXAMPLE.read_text())
    assert imported_packages(tree.body) == {"argparse", "numpy"}
    assert imported_packages(ast.walk(tree)) == {"argparse", "numpy", "sklearn"}
