"""Keras 2's ImageDataGenerator(...).flow(x, y, batch_size)."""
import numpy as np
import pytest

from neuronet.layers import Dense, Flatten
from neuronet.models import Sequential
from neuronet.preprocessing.image import ImageDataGenerator

RNG = np.random.default_rng(0)
X = RNG.integers(0, 256, size=(30, 12, 12, 1)).astype("uint8")
Y = RNG.integers(0, 3, size=30)


def test_flow_gives_transformed_rescaled_batches_that_repeat_with_a_seed():
    datagen = ImageDataGenerator(rotation_range=20, width_shift_range=0.1, height_shift_range=2,
                                 zoom_range=0.2, horizontal_flip=True, rescale=1 / 255.0)
    a, b = datagen.flow(X, Y, batch_size=8, seed=3), datagen.flow(X, Y, batch_size=8, seed=3)
    assert len(a) == 4 and a[3][0].shape == (6, 12, 12, 1)
    xb, yb = a[1]
    np.testing.assert_array_equal(xb, b[1][0])
    assert xb.dtype == np.float32 and 0 <= xb.min() and xb.max() <= 1
    # labels follow their images through the shuffle
    order = a._order[8:16]
    np.testing.assert_array_equal(yb, Y[order])


def test_identity_generator_only_rescales_and_the_epoch_reshuffles():
    it = ImageDataGenerator(rescale=0.5).flow(X, Y, batch_size=30, shuffle=True, seed=0)
    xb, yb = it[0]
    np.testing.assert_allclose(xb, X[it._order].astype("float32") * 0.5)
    first = it._order.copy()
    it.on_epoch_end()
    assert not np.array_equal(first, it._order)


def test_next_loops_forever_as_in_keras():
    it = ImageDataGenerator().flow(X, batch_size=16, shuffle=False)
    shapes = [next(it).shape[0] for _ in range(5)]
    assert shapes == [16, 14, 16, 14, 16]


def test_fit_reads_a_flow_as_a_sequence():
    model = Sequential([Flatten(input_shape=(12, 12, 1)), Dense(3, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["acc"])
    datagen = ImageDataGenerator(rotation_range=10, zoom_range=0.1, rescale=1 / 255.0)
    history = model.fit(datagen.flow(X, Y, batch_size=10, seed=1), epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_unsupported_options_and_bad_values_are_named():
    with pytest.raises(TypeError, match="shear_range"):
        ImageDataGenerator(shear_range=0.2)
    with pytest.raises(ValueError, match="rotation_range"):
        ImageDataGenerator(rotation_range=-5)
    with pytest.raises(ValueError, match="same length"):
        ImageDataGenerator().flow(X, Y[:3])
