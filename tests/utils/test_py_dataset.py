"""PyDataset / Sequence, and the Keras documentation's examples run with only their imports changed."""
import math

import numpy as np
import pytest

from neuronet.layers import Dense, Flatten
from neuronet.models import Sequential
from neuronet.utils import PyDataset, Sequence


def test_keras_defaults_and_checked_arguments():
    class Plain(PyDataset):
        def __init__(self):            # no super().__init__(): Keras' defaults all the same
            pass
    plain = Plain()
    assert (plain.workers, plain.use_multiprocessing, plain.max_queue_size) == (1, False, 10)
    with pytest.raises(ValueError, match="workers"):
        PyDataset(workers=0)
    with pytest.raises(NotImplementedError, match="__len__"):
        len(PyDataset())


@pytest.fixture
def image_files(tmp_path):
    """Image files for the examples, with imread / resize stand-ins (the examples use scikit-image's)."""
    rng = np.random.default_rng(0)
    names = []
    for i in range(10):
        name = tmp_path / f"img{i}.npy"
        np.save(name, rng.random((8, 8, 3)).astype("float32"))
        names.append(str(name))
    return names, rng.integers(0, 2, size=10).astype("float32")


def imread(file_name):
    return np.load(file_name)


def resize(image, shape):
    rows = np.linspace(0, image.shape[0] - 1, shape[0]).round().astype(int)
    cols = np.linspace(0, image.shape[1] - 1, shape[1]).round().astype(int)
    return image[rows][:, cols]


def _model():
    model = Sequential([Flatten(input_shape=(20, 20, 3)), Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy")
    return model


def test_keras3_pydataset_example(image_files):
    # keras.utils.PyDataset's docstring example; only `keras.utils.PyDataset` and the imports differ
    class CIFAR10PyDataset(PyDataset):

        def __init__(self, x_set, y_set, batch_size, **kwargs):
            super().__init__(**kwargs)
            self.x, self.y = x_set, y_set
            self.batch_size = batch_size

        def __len__(self):
            # Return number of batches.
            return math.ceil(len(self.x) / self.batch_size)

        def __getitem__(self, idx):
            # Return x, y for batch idx.
            low = idx * self.batch_size
            # Cap upper bound at array length; the last batch may be smaller
            # if the total number of items is not a multiple of batch size.
            high = min(low + self.batch_size, len(self.x))
            batch_x = self.x[low:high]
            batch_y = self.y[low:high]

            return np.array([
                resize(imread(file_name), (20, 20))
                for file_name in batch_x
            ]), np.array(batch_y)

    data = CIFAR10PyDataset(*image_files, batch_size=4, workers=2)
    history = _model().fit(data, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_keras2_sequence_example(image_files):
    # keras.utils.Sequence's docstring example (Keras 2): no super().__init__() call
    class CIFAR10Sequence(Sequence):

        def __init__(self, x_set, y_set, batch_size):
            self.x, self.y = x_set, y_set
            self.batch_size = batch_size

        def __len__(self):
            return math.ceil(len(self.x) / self.batch_size)

        def __getitem__(self, idx):
            batch_x = self.x[idx * self.batch_size:(idx + 1) * self.batch_size]
            batch_y = self.y[idx * self.batch_size:(idx + 1) * self.batch_size]

            return np.array([
                resize(imread(file_name), (20, 20))
                for file_name in batch_x]), np.array(batch_y)

    model = _model()
    model.fit(CIFAR10Sequence(*image_files, batch_size=3), epochs=1, verbose=0)
    assert model.predict(CIFAR10Sequence(*image_files, batch_size=3)).shape == (10, 1)


def test_keras_generator_example(tmp_path):
    # Keras' fit_generator example (one input here): an endless generator reading a file line by line
    path = tmp_path / "my_file.txt"
    rng = np.random.default_rng(1)
    path.write_text("\n".join(",".join(f"{v:.4f}" for v in rng.random(4)) for _ in range(12)))

    def process_line(line):
        values = np.array(line.split(","), dtype="float32")
        return values[None, :3], values[None, 3:]

    def generate_arrays_from_file(path):
        while True:
            with open(path) as f:
                for line in f:
                    # create numpy arrays of input data
                    # and labels, from each line in the file
                    x, y = process_line(line)
                    yield (x, y)

    model = Sequential([Dense(1, input_shape=(3,))])
    model.compile("sgd", "mse")
    history = model.fit(generate_arrays_from_file(path), steps_per_epoch=12, epochs=3, verbose=0)
    assert len(history.history["loss"]) == 3
