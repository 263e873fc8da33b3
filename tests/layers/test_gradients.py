"""Every registered layer's backward pass against float64 finite differences."""
import numpy as np
import pytest

from gradcheck import check_merge_gradients, numeric_gradient
from neuronet.layers import (ELU, LAYERS, Activation, Add, Average, BatchNormalization, Concatenate, Dense, Dot,
                             Dropout, Flatten, GaussianNoise, InputLayer, Layer, LeakyReLU, Maximum, Minimum, Multiply,
                             Normalization, PReLU, ReLU, Reshape, Softmax, Subtract, ThresholdedReLU)
from neuronet.layers import (RandomContrast, RandomCrop, RandomFlip, RandomRotation, RandomTranslation, RandomZoom,
                             Rescaling)


RNG = np.random.default_rng(0)


def check_layer_gradients(layer, x, training=True):
    """dL/dx and dL/dparams of L = sum(forward(x) * upstream) against central differences."""
    out = layer(x, training=training)
    upstream = RNG.normal(size=out.shape)
    layer.needs_input_grad = True

    def objective():
        return float(np.sum(layer.forward(x, training=training) * upstream))

    layer.forward(x, training=training)
    dx = layer.backward(upstream)
    grads = {k: g.copy() for k, g in layer.grads.items()}
    np.testing.assert_allclose(dx, numeric_gradient(objective, x), rtol=1e-5, atol=1e-7)
    for key, param in layer.params.items():
        np.testing.assert_allclose(grads[key], numeric_gradient(objective, param), rtol=1e-5, atol=1e-7,
                                   err_msg=f"gradient of {layer.name}.{key}")


LAYER_CASES = {
    "dense_linear": lambda: (Dense(3), (5, 4)),
    "dense_tanh_no_bias": lambda: (Dense(3, activation="tanh", use_bias=False), (5, 4)),
    "dense_softmax": lambda: (Dense(4, activation="softmax"), (5, 3)),
    "activation_sigmoid": lambda: (Activation("sigmoid"), (5, 4)),
    "flatten": lambda: (Flatten(), (3, 2, 4)),
    "leaky_relu": lambda: (LeakyReLU(alpha=0.01), (5, 4)),
    "dense_leaky_relu_object": lambda: (Dense(3, activation=LeakyReLU(alpha=0.1)), (5, 4)),
    "elu": lambda: (ELU(alpha=0.7), (5, 4)),
    "relu_configured": lambda: (ReLU(max_value=1.5, negative_slope=0.2, threshold=-0.3), (5, 4)),
    "thresholded_relu": lambda: (ThresholdedReLU(theta=0.4), (5, 4)),
    "softmax_axis_1": lambda: (Softmax(axis=1), (3, 4, 2)),
    "prelu": lambda: (_built(PReLU(), (4,), alpha=RNG.uniform(0.05, 0.5, size=4)), (5, 4)),
    "prelu_shared_axes": lambda: (_built(PReLU(shared_axes=[1]), (3, 2), alpha=RNG.uniform(0.05, 0.5, size=(1, 2))),
                                  (5, 3, 2)),
    "batch_normalization": lambda: (_built(BatchNormalization(), (4,), gamma=RNG.uniform(0.5, 2, 4),
                                           beta=RNG.normal(size=4)), (6, 4)),
    "batch_normalization_axis_1": lambda: (BatchNormalization(axis=1, momentum=0.5), (5, 3, 2)),
    "batch_normalization_no_scale": lambda: (BatchNormalization(scale=False), (6, 3)),
    "dropout_replayed_mask": lambda: (_replayed(Dropout(0.4, seed=3)), (6, 5)),
    "dropout_noise_shape": lambda: (_replayed(Dropout(0.5, noise_shape=(None, 1, 3), seed=4)), (4, 2, 3)),
    "gaussian_noise_replayed": lambda: (_replayed(GaussianNoise(0.3, seed=5)), (5, 4)),
    "input_layer": lambda: (InputLayer(shape=(4,)), (5, 4)),
    "normalization_adapted": lambda: (_adapted(Normalization(), RNG.normal(2, 3, size=(20, 4))), (5, 4)),
    "normalization_invert_axis_none": lambda: (_adapted(Normalization(axis=None, invert=True),
                                                        RNG.normal(2, 3, size=(20, 3))), (5, 3)),
    "normalization_given_axis_1": lambda: (Normalization(axis=1, mean=[1.0, 2.0, 3.0], variance=[0.5, 4, 9]),
                                           (5, 3, 2)),
    "reshape_inferred": lambda: (Reshape((-1, 2)), (3, 2, 4)),
    "rescaling": lambda: (Rescaling(0.5, offset=-1.0), (5, 4)),
    "random_flip_replayed": lambda: (_replayed(RandomFlip(seed=2)), (6, 3, 4, 2)),
    "random_rotation_replayed": lambda: (_replayed(RandomRotation(0.1, seed=1)), (3, 5, 6, 2)),
    "random_rotation_constant_nearest": lambda: (_replayed(RandomRotation(0.2, fill_mode="constant",
                                                                          interpolation="nearest", seed=2)), (2, 5, 5)),
    "random_translation_wrap": lambda: (_replayed(RandomTranslation(0.3, 0.3, fill_mode="wrap", seed=3)), (3, 4, 5, 1)),
    "random_zoom_reflect": lambda: (_replayed(RandomZoom(0.4, seed=4)), (2, 6, 5, 2)),
    "random_contrast": lambda: (_replayed(RandomContrast(0.5, value_range=(-100, 100), seed=5)), (3, 4, 4, 2)),
    "random_crop": lambda: (_replayed(RandomCrop(3, 2, seed=6), (5, 4, 2)), (4, 5, 4, 2)),
}

# Layers with several inputs: (layer, list of input shapes). More cases in tests/layers/test_merge.py.
MERGE_CASES = {
    "add": lambda: (Add(), [(5, 4), (5, 4)]),
    "subtract": lambda: (Subtract(), [(5, 4), (5, 4)]),
    "multiply_three": lambda: (Multiply(), [(5, 4), (5, 4), (5, 4)]),
    "average_three": lambda: (Average(), [(5, 4), (5, 4), (5, 4)]),
    "maximum_three": lambda: (Maximum(), [(5, 4), (5, 4), (5, 4)]),
    "minimum": lambda: (Minimum(), [(5, 4), (5, 4)]),
    "concatenate": lambda: (Concatenate(), [(5, 4), (5, 2)]),
    "dot": lambda: (Dot(axes=1), [(5, 4), (5, 4)]),
    "dot_normalize": lambda: (Dot(axes=(1, 2), normalize=True), [(5, 3, 4), (5, 2, 3)]),
}


def _adapted(layer, data):
    layer.adapt(data)
    return layer


def _built(layer, input_shape, **values):
    """Build ``layer`` and overwrite some of its parameters (e.g. a PReLU slope away from 0)."""
    layer.build(input_shape)
    for key, value in values.items():
        layer.params[key][...] = value
    return layer


def _replayed(layer, shape=(1,)):
    """A random layer whose every forward replays the same draw, so finite differences see one mask:
    the check then proves backward uses the mask of the forward pass."""
    forward = layer.forward
    layer.build(shape)
    state = layer.get_rng_state()

    def replay(x, training=False):
        layer.set_rng_state(state)
        return forward(x, training=training)
    layer.forward = replay
    return layer


def test_batch_normalization_inference_backward(float64):
    layer = _built(BatchNormalization(), (3,), gamma=RNG.uniform(0.5, 2, 3))
    layer.states["moving_mean"][...] = RNG.normal(size=3)
    layer.states["moving_variance"][...] = RNG.uniform(0.5, 2, 3)
    check_layer_gradients(layer, RNG.normal(size=(5, 3)), training=False)


@pytest.mark.parametrize("case", sorted(LAYER_CASES))
def test_layer_backward_matches_finite_differences(case, float64):
    layer, shape = LAYER_CASES[case]()
    check_layer_gradients(layer, RNG.normal(size=shape))


@pytest.mark.parametrize("case", sorted(MERGE_CASES))
def test_merge_layer_backward_matches_finite_differences(case, float64):
    layer, shapes = MERGE_CASES[case]()
    check_merge_gradients(layer, shapes, RNG)


def test_every_registered_layer_class_has_a_gradient_case():
    """A layer class added to the LAYERS registry without a LAYER_CASES or MERGE_CASES entry fails here
    (models, also registered there to be loaded by name, have their own gradient checks; lookups, bucketing
    and encodings are marked differentiable=False: their outputs are indices, and tests/layers/preprocessing/
    checks that their backward refuses to be used)."""
    covered = {type(cases[case]()[0]) for cases in (LAYER_CASES, MERGE_CASES) for case in cases}
    from neuronet.models import Model
    # neuronet's own classes: a user's class registered by another test (register(MyDense)) stays listed
    classes = {LAYERS.lookup(name) for name in LAYERS.names()
               if LAYERS.lookup(name).__module__.startswith("neuronet.")}
    missing = {c for c in classes if issubclass(c, Layer) and not issubclass(c, Model)
               and getattr(c, "differentiable", True)} - covered
    assert not missing, f"no gradient check for {sorted(c.__name__ for c in missing)}"
