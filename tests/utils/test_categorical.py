"""to_categorical with Keras' behaviour and keywords."""
import numpy as np
import pytest

import neuronet
from neuronet.utils import to_categorical


def test_to_categorical_matches_keras():
    out = to_categorical([0, 1, 2, 3], num_classes=4)
    np.testing.assert_array_equal(out, np.eye(4))
    assert out.dtype == np.float32
    np.testing.assert_array_equal(to_categorical(np.array([[2], [0]])), [[0, 0, 1], [1, 0, 0]])
    assert to_categorical([1, 0], num_classes=3, dtype="float64").dtype == np.float64
    assert to_categorical(np.array([[1, 0], [2, 2]])).shape == (2, 2, 3)
    np.testing.assert_array_equal(to_categorical(np.array([1.0, 0.0])), [[0, 1], [1, 0]])
    assert neuronet.utils.to_categorical is to_categorical


@pytest.mark.parametrize("y, kwargs, match", [
    (["cat", "dog"], {}, "LabelEncoder"),
    ([0.5, 1.0], {}, "non-integer"),
    ([-1, 0], {}, ">= 0"),
    ([0, 3], {"num_classes": 2}, "num_classes >= 4"),
    ([0, 1], {"num_classes": 0}, "positive integer"),
])
def test_to_categorical_rejects_bad_labels_with_a_clear_message(y, kwargs, match):
    with pytest.raises(ValueError, match=match):
        to_categorical(y, **kwargs)


def test_to_categorical_takes_keras_3_keyword():
    np.testing.assert_array_equal(to_categorical(x=[1, 0], num_classes=2), [[0, 1], [1, 0]])


def test_to_categorical_still_takes_keras_2_keyword_y():
    """Keras 2-era code writes np_utils.to_categorical(y=y_train, num_classes=10); 306caa7's rename of the
    first argument to Keras 3's x made that a TypeError."""
    from neuronet.utils.np_utils import to_categorical as old_to_categorical
    np.testing.assert_array_equal(old_to_categorical(y=[1, 0], num_classes=2), [[0, 1], [1, 0]])
    with pytest.raises(ValueError, match=r"`y` holds the label 2, which needs num_classes >= 3"):
        to_categorical(y=[2, 0], num_classes=2)
    with pytest.raises(TypeError, match="twice"):
        to_categorical([1], y=[1])
    with pytest.raises(TypeError, match="Received: x=None"):
        to_categorical()
