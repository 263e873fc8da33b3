"""model.export(path, format="onnx"): onnxruntime reproduces predict within 1e-5, for every layer type."""
import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

from neuronet import layers as L  # noqa: E402
from neuronet.activations import ACTIVATIONS  # noqa: E402
from neuronet.layers import LAYERS, Input  # noqa: E402
from neuronet.models import Model, Sequential  # noqa: E402

X = np.random.default_rng(0).normal(size=(9, 4)).astype("float32")

# one case per layer class the exporter supports: (layer after Dense(6, input_shape=(4,)) or a builder)
SEQUENTIAL_CASES = {
    "Dense": lambda: L.Dense(3, activation="tanh"), "Activation": lambda: L.Activation("softmax"),
    "Dropout": lambda: L.Dropout(0.5, seed=1), "GaussianNoise": lambda: L.GaussianNoise(0.3, seed=1),
    "BatchNormalization": lambda: L.BatchNormalization(), "Flatten": lambda: L.Flatten(),
    "Reshape": lambda: L.Reshape((2, 3)), "ReLU": lambda: L.ReLU(max_value=1.5, negative_slope=0.1, threshold=0.2),
    "LeakyReLU": lambda: L.LeakyReLU(0.1), "ELU": lambda: L.ELU(0.7), "ThresholdedReLU": lambda: L.ThresholdedReLU(0.3),
    "Softmax": lambda: L.Softmax(), "PReLU": lambda: L.PReLU(alpha_initializer="random_uniform"),
}
MERGE_CASES = ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate")
# InputLayer is the graph's input itself; the preprocessing layers run before the model in a served pipeline
NOT_EXPORTED = {"Dot", "InputLayer", "Model", "Sequential", "Normalization", "Discretization", "CategoryEncoding",
                "IntegerLookup", "StringLookup", "RandomCrop"}
IMAGE_CASES = {"RandomFlip": lambda: L.RandomFlip(seed=1), "RandomRotation": lambda: L.RandomRotation(0.2, seed=1),
               "RandomZoom": lambda: L.RandomZoom(0.2, seed=1), "RandomTranslation": lambda: L.RandomTranslation(
                   0.2, 0.2, seed=1), "RandomContrast": lambda: L.RandomContrast(0.3, seed=1),
               "Rescaling": lambda: L.Rescaling(1 / 127.5, offset=-1.0)}


def _run(model, tmp_path, x=X):
    path = tmp_path / "model.onnx"
    model.export(path, format="onnx")
    session = ort.InferenceSession(str(path))
    return session, session.run(None, {session.get_inputs()[0].name: x})[0]


def _trained(model):
    model.compile(optimizer="adam", loss="mse")
    out = model.predict(X, verbose=0)
    model.fit(X, np.ones_like(out), epochs=2, verbose=0, seed=0)   # moving statistics away from 0 and 1
    return model


def test_every_layer_class_is_covered_here():
    assert set(LAYERS.names()) >= {n.lower() for n in SEQUENTIAL_CASES}
    covered = {n.lower() for n in (*SEQUENTIAL_CASES, *MERGE_CASES, *NOT_EXPORTED, *IMAGE_CASES)}
    ours = {name for name in LAYERS.names() if LAYERS.lookup(name).__module__.startswith("neuronet.")}
    assert ours <= covered


@pytest.mark.parametrize("name", sorted(SEQUENTIAL_CASES))
def test_sequential_layer_matches_predict(tmp_path, name):
    model = _trained(Sequential([L.Dense(6, activation="relu", input_shape=(4,)), SEQUENTIAL_CASES[name](),
                                 L.Flatten(), L.Dense(2)]))
    session, y = _run(model, tmp_path)
    np.testing.assert_allclose(y, model.predict(X, verbose=0), atol=1e-5)
    assert session.get_inputs()[0].shape == ["batch", 4]
    assert session.get_outputs()[0].shape == ["batch", 2]


@pytest.mark.parametrize("name", sorted(IMAGE_CASES))
def test_image_layer_matches_predict(tmp_path, name):
    model = Sequential([L.Reshape((2, 2, 1), input_shape=(4,)), IMAGE_CASES[name](), L.Flatten(), L.Dense(2)])
    _, y = _run(model, tmp_path)
    np.testing.assert_allclose(y, model.predict(X, verbose=0), atol=1e-5)


@pytest.mark.parametrize("name", sorted({ACTIVATIONS.canonical(n) for n in ACTIVATIONS.names()}))
def test_every_activation_matches_predict(tmp_path, name):
    model = Sequential([L.Dense(5, activation=name, input_shape=(4,))])
    _, y = _run(model, tmp_path, X * 3)
    np.testing.assert_allclose(y, model.predict(X * 3, verbose=0), atol=1e-5)


@pytest.mark.parametrize("merge", MERGE_CASES)
def test_functional_model_with_merge_layer_and_nested_model(tmp_path, merge):
    inputs = Input(shape=(4,))
    a = L.Dense(3, activation="relu")(inputs)
    b = Sequential([L.Dense(3, input_shape=(4,)), L.BatchNormalization()])(inputs)
    model = _trained(Model(inputs, L.Dense(2)(getattr(L, merge)()([a, b]))))
    _, y = _run(model, tmp_path)
    np.testing.assert_allclose(y, model.predict(X, verbose=0), atol=1e-5)


def test_batch_axis_is_dynamic_and_unsupported_layers_are_named(tmp_path):
    model = _trained(Sequential([L.Dense(3, input_shape=(4,))]))
    session, _ = _run(model, tmp_path)
    one = session.run(None, {"input": X[:1]})[0]
    np.testing.assert_allclose(one, model.predict(X[:1], verbose=0), atol=1e-5)
    inputs = [Input(shape=(4,)), Input(shape=(4,))]
    dot = Model(inputs, L.Dot(axes=1)(inputs))
    with pytest.raises(ValueError, match="layer 'dot.*Dot has no ONNX mapping"):
        dot.export(tmp_path / "dot.onnx", format="onnx")
    with pytest.raises(ValueError, match="format.*'onnx'.*tf_saved_model"):
        model.export(tmp_path / "m", format="tf_saved_model")
    assert not (tmp_path / "dot.onnx").exists()
