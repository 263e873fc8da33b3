"""Augmentation layers: identity at inference, seeded in training, Keras' geometry, config round trip."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from neuronet import layers
from neuronet.layers import (Dense, Flatten, RandomContrast, RandomCrop, RandomFlip, RandomRotation,
                             RandomTranslation, RandomZoom, Rescaling)
from neuronet.layers.image_sampling import transform
from neuronet.models import Sequential

RNG = np.random.default_rng(0)
IMAGES = RNG.random((6, 9, 11, 2)).astype("float32")

AUGMENTATIONS = [
    lambda s: RandomFlip(seed=s), lambda s: RandomRotation(0.2, seed=s),
    lambda s: RandomTranslation(0.2, (-0.1, 0.3), seed=s), lambda s: RandomZoom(0.3, seed=s),
    lambda s: RandomContrast(0.5, seed=s), lambda s: RandomCrop(5, 6, seed=s),
]


@pytest.mark.parametrize("make", AUGMENTATIONS)
def test_seeded_training_draws_repeat_and_differ_per_image(make):
    a, b = make(3)(IMAGES, training=True), make(3)(IMAGES, training=True)
    np.testing.assert_array_equal(a, b)
    assert a.dtype == IMAGES.dtype
    assert not np.array_equal(make(3)(IMAGES, training=True), make(4)(IMAGES, training=True))


@pytest.mark.parametrize("make", AUGMENTATIONS[:-1])
def test_inference_passes_images_through(make):
    assert make(0)(IMAGES) is IMAGES


def test_random_crop_crops_the_centre_at_inference_and_a_window_in_training():
    out = RandomCrop(5, 6)(IMAGES)
    np.testing.assert_array_equal(out, IMAGES[:, 2:7, 2:8])
    crops = RandomCrop(5, 6, seed=1)(IMAGES, training=True)
    for image, crop in zip(IMAGES, crops):       # each crop is some window of its own image
        assert any(np.array_equal(image[t:t + 5, l:l + 6], crop) for t in range(5) for l in range(6))
    with pytest.raises(ValueError, match="at least that size"):
        RandomCrop(20, 2).build((9, 11, 2))


def test_flip_flips_whole_images_and_its_gradient_flips_back():
    layer = RandomFlip("horizontal", seed=5)
    out = layer(IMAGES, training=True)
    flipped = [np.array_equal(o, i[:, ::-1]) for o, i in zip(out, IMAGES)]
    kept = [np.array_equal(o, i) for o, i in zip(out, IMAGES)]
    assert all(f or k for f, k in zip(flipped, kept)) and any(flipped) and any(kept)
    layer.needs_input_grad = True
    np.testing.assert_array_equal(layer.backward(out), IMAGES)


def test_rotation_by_a_quarter_turn_moves_pixels_as_rot90():
    img = RNG.random((1, 5, 5, 1))
    quarter = RandomRotation((0.25, 0.25), fill_mode="constant")(img, training=True)
    np.testing.assert_allclose(quarter[0, ..., 0], np.rot90(img[0, ..., 0]), atol=1e-12)


def test_translation_shifts_by_whole_pixels_and_fills():
    img = np.arange(25.0).reshape(1, 5, 5)
    out = RandomTranslation((0.2, 0.2), (0, 0), fill_mode="constant", fill_value=-1)(img, training=True)
    np.testing.assert_array_equal(out[0, 1:], img[0, :4])            # one row down
    np.testing.assert_array_equal(out[0, 0], -np.ones(5))


def test_zoom_out_shrinks_the_content_around_the_centre():
    img = np.zeros((1, 9, 9))
    img[0, 2:7, 2:7] = 1.0
    out = RandomZoom((1.0, 1.0), fill_mode="constant", interpolation="nearest")(img, training=True)
    assert out[0].sum() < img[0].sum() and out[0, 4, 4] == 1.0


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(["reflect", "wrap", "nearest"]), st.floats(-50, 50), st.floats(-50, 50))
def test_fill_modes_only_ever_read_pixels_of_the_image(mode, dy, dx):
    img = RNG.random((1, 4, 6, 1))
    out = transform(img, np.eye(2)[None], np.array([[np.round(dy), np.round(dx)]]), mode, "nearest")
    assert np.isin(out, img).all()


def test_contrast_keeps_the_mean_and_clips_to_the_value_range():
    img = RNG.random((4, 6, 6, 1)) * 255
    out = RandomContrast((0.5, 0.0), seed=0)(img, training=True)
    np.testing.assert_allclose(out.mean(axis=(1, 2)), img.mean(axis=(1, 2)), rtol=1e-9)
    out = RandomContrast((0.0, 5.0), seed=0)(img, training=True)
    assert out.min() >= 0 and out.max() <= 255


def test_rescaling_applies_at_inference_too():
    x = RNG.normal(size=(2, 3))
    np.testing.assert_allclose(Rescaling(0.5, offset=-1.0)(x), x * 0.5 - 1.0, rtol=1e-6)


@pytest.mark.parametrize("layer", [Rescaling(1 / 255.0, offset=0.1), RandomFlip("vertical", seed=2),
                                   RandomRotation((-0.1, 0.2), fill_mode="wrap", seed=1),
                                   RandomTranslation(0.1, 0.2, interpolation="nearest"),
                                   RandomZoom(0.2, (-0.1, 0.1), fill_value=3.0), RandomContrast(0.3),
                                   RandomCrop(4, 5, seed=9)])
def test_config_round_trip_through_the_registry(layer):
    again = layers.deserialize(layers.serialize(layer))
    assert type(again) is type(layer) and again.get_config() == layer.get_config()


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="fill_mode"):
        RandomRotation(0.1, fill_mode="mirror")
    with pytest.raises(ValueError, match="factor"):
        RandomRotation("big")
    with pytest.raises(ValueError, match="mode"):
        RandomFlip("diagonal")
    with pytest.raises(ValueError, match="batch of images"):
        RandomFlip(seed=0)(np.zeros((2, 3)), training=True)


def test_a_network_trains_through_stacked_augmentations():
    model = Sequential([RandomRotation(0.05, seed=0, input_shape=(8, 8)), RandomZoom(0.1, seed=1),
                        RandomContrast(0.2, value_range=(0, 1), seed=2), Flatten(), Dense(2, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy")
    history = model.fit(RNG.random((20, 8, 8)).astype("float32"), RNG.integers(0, 2, 20), epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    with pytest.raises(ValueError, match="batch of images"):
        RandomZoom(0.1, seed=0)(np.zeros((4, 64)), training=True)
