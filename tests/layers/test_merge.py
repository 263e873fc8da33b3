"""Merge layers: values from their formulas, shapes, gradients (float64 central differences), ties,
configs and Keras' error messages."""
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import neuronet
from gradcheck import check_merge_gradients, numeric_gradient
from neuronet import layers
from neuronet.layers import (Add, Average, Concatenate, Dot, Maximum, Merge, Minimum, Multiply, Subtract,
                             deserialize, serialize)

RNG = np.random.default_rng(7)
ELEMENTWISE = [Add, Subtract, Multiply, Average, Maximum, Minimum]


# ---- values from the formulas ------------------------------------------------------------------------------
def test_elementwise_values_from_their_formulas():
    a = np.array([[1.0, -2.0, 3.0]])
    b = np.array([[4.0, 5.0, -6.0]])
    c = np.array([[0.5, 0.0, 2.0]])
    np.testing.assert_array_equal(Add()([a, b, c]), [[5.5, 3.0, -1.0]])
    np.testing.assert_array_equal(Subtract()([a, b]), [[-3.0, -7.0, 9.0]])
    np.testing.assert_array_equal(Multiply()([a, b, c]), [[2.0, -0.0, -36.0]])
    np.testing.assert_allclose(Average()([a, b, c]), [[5.5 / 3, 1.0, -1.0 / 3]])
    np.testing.assert_array_equal(Maximum()([a, b, c]), [[4.0, 5.0, 3.0]])
    np.testing.assert_array_equal(Minimum()([a, b, c]), [[0.5, -2.0, -6.0]])


def test_a_single_input_passes_through_as_in_keras():
    x = RNG.normal(size=(3, 2))
    for cls in (Add, Multiply, Average, Maximum, Minimum):
        np.testing.assert_array_equal(cls()([x]), x)


def test_broadcasting_over_size_one_axes_and_lower_ranks():
    """Per-sample shapes (3, 5), (1, 5) and (5,) broadcast to (3, 5): the (5,) input is a row added to every
    row, as Keras expands it after the batch axis."""
    x, y, z = RNG.normal(size=(4, 3, 5)), RNG.normal(size=(4, 1, 5)), RNG.normal(size=(4, 5))
    layer = Add()
    out = layer([x, y, z])
    assert layer.output_shape == (3, 5)
    np.testing.assert_allclose(out, x + y + z[:, None, :])
    assert Add().compute_output_shape([(3, 1), (1, 4)]) == (3, 4)
    assert Multiply().compute_output_shape([(2, 3, 4), (4,)]) == (2, 3, 4)


def test_concatenate_values_and_shapes_on_each_axis():
    x, y = RNG.normal(size=(2, 3, 4)), RNG.normal(size=(2, 3, 1))
    np.testing.assert_array_equal(Concatenate()([x, y]), np.concatenate([x, y], axis=-1))
    layer = Concatenate(axis=1)
    z = RNG.normal(size=(2, 5, 4))
    np.testing.assert_array_equal(layer([x, z, x]), np.concatenate([x, z, x], axis=1))
    assert layer.output_shape == (11, 4)
    assert layer.input_shape == [(3, 4), (5, 4), (3, 4)]
    assert Concatenate(axis=-2).compute_output_shape([(3, 4), (2, 4)]) == (5, 4)


def test_dot_values_from_the_formula():
    """y[n, i, j] = sum_k x1[n, k, i] * x2[n, j, k] for axes=(1, 2); rows' inner products for axes=1."""
    x1, x2 = RNG.normal(size=(2, 3, 5)), RNG.normal(size=(2, 4, 3))
    np.testing.assert_allclose(Dot(axes=(1, 2))([x1, x2]), np.einsum("nki,njk->nij", x1, x2))
    a, b = np.array([[1.0, 2.0, 3.0]]), np.array([[4.0, -5.0, 6.0]])
    np.testing.assert_allclose(Dot(axes=1)([a, b]), [[12.0]])
    np.testing.assert_allclose(Dot(axes=-1, normalize=True)([a, b]), [[12.0 / np.sqrt(14.0 * 77.0)]])
    x3 = RNG.normal(size=(2, 3, 5, 2))
    x4 = RNG.normal(size=(2, 3, 6))
    np.testing.assert_allclose(Dot(axes=1)([x3, x4]), np.einsum("nkab,nkc->nabc", x3, x4))


@pytest.mark.parametrize("axes, shapes, expected", [
    (1, [(4,), (4,)], (1,)),
    (-1, [(3, 5), (2, 5)], (3, 2)),
    ((1, 2), [(3, 5), (4, 3)], (5, 4)),
    ((2, 1), [(3, 5), (5,)], (3,)),
    ((1, 1), [(3, 5, 2), (3, 6)], (5, 2, 6)),
])
def test_dot_output_shape_as_keras_batch_dot(axes, shapes, expected):
    layer = Dot(axes=axes)
    assert layer.compute_output_shape(shapes) == expected
    out = layer([RNG.normal(size=(2, *s)) for s in shapes])
    assert out.shape == (2, *expected)


def test_dot_normalize_of_a_zero_vector_gives_zero():
    out = Dot(axes=1, normalize=True)([np.zeros((1, 3)), np.ones((1, 3))])
    np.testing.assert_array_equal(out, [[0.0]])


def test_functional_spellings_create_and_call_the_layer():
    a, b = RNG.normal(size=(3, 4)), RNG.normal(size=(3, 4))
    for fn, cls in [(layers.add, Add), (layers.subtract, Subtract), (layers.multiply, Multiply),
                    (layers.average, Average), (layers.maximum, Maximum), (layers.minimum, Minimum)]:
        np.testing.assert_array_equal(fn([a, b]), cls()([a, b]))
    np.testing.assert_array_equal(layers.concatenate([a, b], axis=1), np.concatenate([a, b], axis=1))
    np.testing.assert_allclose(layers.dot([a, b], axes=1), np.sum(a * b, axis=1, keepdims=True))
    np.testing.assert_allclose(layers.dot([a, b], axes=-1, normalize=True),
                               Dot(axes=1, normalize=True)([a, b]))
    assert neuronet.layers.concatenate is layers.concatenate


def test_float32_in_float32_out():
    a, b = np.ones((2, 3), np.float32), np.ones((2, 3), np.float32)
    for layer in [cls() for cls in ELEMENTWISE] + [Concatenate(), Dot(axes=1), Dot(axes=1, normalize=True)]:
        out = layer([a, b])
        assert out.dtype == np.float32, type(layer).__name__
        assert all(g.dtype == np.float32 for g in layer.backward(np.ones_like(out)))


# ---- gradients (float64 central differences) ---------------------------------------------------------------
@pytest.mark.parametrize("cls", [Add, Multiply, Average, Maximum, Minimum])
@pytest.mark.parametrize("n_inputs", [1, 2, 3, 4])
def test_elementwise_gradients_for_several_input_counts(cls, n_inputs, float64):
    check_merge_gradients(cls(), [(5, 3, 2)] * n_inputs, RNG)


@pytest.mark.parametrize("cls", ELEMENTWISE)
def test_elementwise_gradients_when_inputs_broadcast(cls, float64):
    """Inputs stretched along size-1 axes or of lower rank get the gradient summed back to their shape."""
    shapes = [(4, 3, 5), (4, 1, 5)] if cls is Subtract else [(4, 3, 5), (4, 1, 5), (4, 5), (4, 3, 1)]
    check_merge_gradients(cls(), shapes, RNG)


def test_multiply_gradient_where_an_input_is_zero(float64):
    """dL/dx_i is g times the product of the others, exact even where another input is 0."""
    x = [RNG.normal(size=(3, 4)) for _ in range(3)]
    x[1][0, :] = 0.0
    grads = check_merge_gradients(Multiply(), None, RNG, inputs=x)
    assert np.all(grads[0][0] == 0) and np.all(grads[2][0] == 0) and np.any(grads[1][0] != 0)


@pytest.mark.parametrize("axis, shapes", [
    (-1, [(5, 3), (5, 2), (5, 4)]),
    (1, [(5, 3, 2), (5, 1, 2)]),
    (2, [(5, 3, 2), (5, 3, 4), (5, 3, 1)]),
    (-2, [(4, 2, 3, 2), (4, 2, 1, 2)]),
])
def test_concatenate_gradients_on_each_axis(axis, shapes, float64):
    check_merge_gradients(Concatenate(axis=axis), shapes, RNG)


@pytest.mark.parametrize("normalize", [False, True])
@pytest.mark.parametrize("axes, shapes", [
    (1, [(4, 3), (4, 3)]),
    (-1, [(4, 3, 5), (4, 2, 5)]),
    ((1, 2), [(4, 3, 5), (4, 2, 3)]),
    ((2, 1), [(4, 3, 5), (4, 5)]),
    ((1, 1), [(4, 3, 5, 2), (4, 3, 6)]),
])
def test_dot_gradients(axes, shapes, normalize, float64):
    check_merge_gradients(Dot(axes=axes, normalize=normalize), shapes, RNG)


def test_dot_normalize_gradient_where_the_norm_is_clamped(float64):
    """Below ||x|| = 1e-7 the normalisation is x / 1e-7, linear in x: the gradient is dL/dv / 1e-7."""
    x1, x2 = np.array([[3e-9, -4e-9]]), np.array([[0.3, -1.2]])
    layer = Dot(axes=1, normalize=True)
    layer([x1, x2])
    d1, _ = layer.backward(np.full((1, 1), 2.0))
    np.testing.assert_allclose(d1, 2.0 * x2 / np.linalg.norm(x2) / 1e-7)
    numeric = numeric_gradient(lambda: 2.0 * float(layer.forward([x1, x2])[0, 0]), x1, eps=1e-12)
    np.testing.assert_allclose(d1, numeric, rtol=1e-5)


@pytest.mark.parametrize("cls, pick", [(Maximum, np.argmax), (Minimum, np.argmin)])
def test_ties_send_the_gradient_to_the_first_input_holding_the_extreme(cls, pick):
    a = np.array([[1.0, 2.0, 3.0]])
    b = np.array([[1.0, 5.0, 0.0]])
    c = np.array([[1.0, 2.0, 3.0]])
    layer = cls()
    layer([a, b, c])
    g = np.array([[10.0, 20.0, 30.0]])
    grads = layer.backward(g)
    winner = pick(np.stack([a, b, c]), axis=0)
    for i, grad in enumerate(grads):
        np.testing.assert_array_equal(grad, np.where(winner == i, g, 0.0))
    assert sum(grads).tolist() == g.tolist()       # each element's gradient goes to exactly one input
    assert grads[0][0, 0] == 10.0 and grads[2][0, 0] == 0.0


# ---- building, configs and errors --------------------------------------------------------------------------
@pytest.mark.parametrize("layer", [Add(), Subtract(name="diff"), Multiply(), Average(), Maximum(), Minimum(),
                                   Concatenate(axis=1), Dot(axes=(1, 2), normalize=True), Dot(axes=-1)],
                         ids=lambda layer: type(layer).__name__)
def test_config_round_trip(layer):
    shapes = [(3, 4), (4, 3)] if isinstance(layer, Dot) and layer.axes != -1 else [(3, 4), (3, 4)]
    xs = [RNG.normal(size=(2, *s)) for s in shapes]
    config = serialize(layer)
    clone = deserialize(json.loads(json.dumps(config)))
    assert type(clone) is type(layer) and clone.get_config() == layer.get_config()
    np.testing.assert_allclose(clone(xs), layer(xs))


def test_build_sets_list_input_shape_and_output_shape():
    layer = Multiply()
    layer.build([(3, 1), (3, 4)])
    assert layer.built and layer.input_shape == [(3, 1), (3, 4)] and layer.output_shape == (3, 4)
    assert isinstance(layer, Merge) and layer.count_params() == 0


def test_merge_errors_name_the_shapes_as_keras():
    with pytest.raises(ValueError, match=r"^Inputs have incompatible shapes\. Received shapes \(3,\) and \(4,\)$"):
        Add().build([(3,), (4,)])
    with pytest.raises(ValueError, match=r"^A `Subtract` layer should be called on exactly 2 inputs\. "
                                         r"Received: input_shape=\[\(None, 3\), \(None, 3\), \(None, 3\)\]$"):
        Subtract()([np.ones((2, 3))] * 3)
    with pytest.raises(ValueError, match=r"^A `Concatenate` layer requires inputs with matching shapes except for "
                                         r"the concatenation axis\. Received: input_shape=\[\(None, 3, 2\), "
                                         r"\(None, 4, 3\)\]$"):
        Concatenate().build([(3, 2), (4, 3)])
    with pytest.raises(ValueError, match="A `Concatenate` layer requires inputs with matching shapes"):
        Concatenate().build([(3, 2), (3,)])
    with pytest.raises(ValueError, match=r"^Incompatible input shapes: axis values 3 \(at axis 1\) != 2 \(at axis "
                                         r"2\)\. Full input shapes: \(None, 3, 5\), \(None, 4, 2\)$"):
        Dot(axes=(1, 2)).build([(3, 5), (4, 2)])
    with pytest.raises(ValueError, match=r"A `Dot` layer should be called on a list of 2 inputs\. "
                                         r"Received: input_shape=\[\(None, 3\)\]"):
        Dot(axes=1).build([(3,)])


def test_a_failed_build_leaves_the_layer_unbuilt():
    layer = Subtract()
    with pytest.raises(ValueError):
        layer.build([(3,)] * 3)
    assert not layer.built
    layer.build([(3,), (3,)])
    assert layer.built and layer.output_shape == (3,)


def test_call_refuses_a_single_array_and_mismatched_batches():
    with pytest.raises(ValueError, match=r"should be called on a list of inputs\. Received: inputs of type ndarray "
                                         r"with shape \(4, 5\)"):
        Add()(np.ones((4, 5)))
    with pytest.raises(ValueError, match=r"should be called on a list of inputs\. Received: input_shape=\(3, 4\)"):
        Add().build((3, 4))
    with pytest.raises(ValueError, match=r"^Cannot merge tensors with different batch sizes\. Received tensors with "
                                         r"shapes \[\(4, 5\), \(3, 5\)\]$"):
        Add()([np.ones((4, 5)), np.ones((3, 5))])


def test_axis_arguments_are_checked():
    with pytest.raises(ValueError, match=r"axis 0 is the batch axis.*Received: axis=0"):
        Concatenate(axis=0).build([(3,), (3,)])
    with pytest.raises(ValueError, match=r"axis 3 is out of range for inputs of rank 3.*Received: axis=3"):
        Concatenate(axis=3).build([(3, 2), (3, 2)])
    with pytest.raises(TypeError, match=r"`axis`, expected an integer\. Received: axis='1'"):
        Concatenate(axis="1")
    with pytest.raises(ValueError, match=r"axis 0 is the batch axis.*Received: axes=\[0, 1\]"):
        Dot(axes=(0, 1)).build([(3,), (3,)])
    with pytest.raises(TypeError, match=r"^Invalid type for argument `axes`: it should be a list or an int\. "
                                        r"Received: axes=1\.5$"):
        Dot(axes=1.5)
    with pytest.raises(ValueError, match=r"^Invalid format for argument `axes`: it should contain two elements\. "
                                         r"Received: axes=\(1, 2, 3\)$"):
        Dot(axes=(1, 2, 3))
    with pytest.raises(ValueError, match=r"list elements should be integers\. Received: axes=\(1, 'a'\)$"):
        Dot(axes=(1, "a"))


def test_merge_layers_are_registered_under_keras_names():
    for name in ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot"]:
        assert layers.LAYERS.lookup(name) is getattr(layers, name)


# ---- numeric extremes and ties (hypothesis) ------------------------------------------------------------------

_finite = st.floats(-1e30, 1e30, allow_nan=False, allow_subnormal=False, width=64)


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, (3, 4), elements=_finite), arrays(np.float64, (3, 4), elements=_finite))
def test_dot_normalize_stays_a_finite_cosine_at_any_scale(a, b):
    """Cosine similarity in [-1, 1] for rows from 0 to 1e30 (no overflow: the norm is taken per row, and rows
    of norm up to ~1e30 square to 1e60, far from float64's limit); a finite gradient."""
    layer = Dot(axes=1, normalize=True)
    out = layer([a, b])
    assert np.all(np.isfinite(out)) and np.all(np.abs(out) <= 1 + 1e-12)
    assert all(np.all(np.isfinite(g)) for g in layer.backward(np.ones_like(out)))


@settings(max_examples=60, deadline=None)
@given(st.lists(arrays(np.float64, (2, 3), elements=st.sampled_from([-1.0, 0.0, 1.0, 2.0])), min_size=1, max_size=4),
       st.sampled_from([Maximum, Minimum]))
def test_extremes_pass_each_gradient_element_to_exactly_one_input(xs, cls):
    """Whatever the ties, the gradients of Maximum/Minimum sum to g and each goes to an input that holds y."""
    layer = cls()
    y = layer(xs)
    g = np.arange(1.0, 7.0).reshape(2, 3)
    grads = layer.backward(g)
    np.testing.assert_array_equal(sum(grads), g)
    for x, grad in zip(xs, grads):
        assert np.all((grad == 0) | (x == y))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=4), st.integers(1, 2))
def test_concatenate_backward_splits_g_back_into_the_inputs(sizes, axis):
    xs = [RNG.normal(size=[2, n, 3] if axis == 1 else [2, 3, n]) for n in sizes]
    layer = Concatenate(axis=axis)
    y = layer(xs)
    for x, back in zip(xs, layer.backward(y)):
        np.testing.assert_array_equal(back, x)
