"""The notes' 784-50-10 network on MNIST-shaped digits, read batch by batch through a PyDataset, with
data augmentation (small random rotations, shifts and zooms) as a regularizer.

The images are synthetic by default: 28x28 strokes drawn per class (0-9) with random thickness, position
and noise, so the example needs no download. ``--mnist`` trains on the real MNIST instead
(neuronet.datasets.mnist.load_data() downloads it once). ``--plot grid.png`` saves a grid of augmented
samples: each row one digit, as the network sees it in successive epochs.

Run:  python examples/mnist_pydataset_augmentation.py [--epochs N] [--samples N] [--workers N] [--mnist]
"""
import argparse
import math

import numpy as np

import neuronet
from neuronet.layers import Dense, Flatten, Input, RandomRotation, RandomTranslation, RandomZoom
from neuronet.models import Sequential
from neuronet.utils import PyDataset


def synthetic_digits(n, seed=0):
    """``n`` uint8 images (n, 28, 28) and labels 0-9: class k is a stroke at angle 18 k degrees plus a
    class-specific dot, drawn with random width, offset and noise."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n)
    rows, cols = np.mgrid[0:28, 0:28].astype(np.float32) - 13.5
    angle = np.deg2rad(18.0 * labels)[:, None, None]
    dy, dx = rng.normal(0, 1.5, (2, n, 1, 1))
    distance = np.abs((rows - dy) * np.cos(angle) - (cols - dx) * np.sin(angle))
    along = np.abs((rows - dy) * np.sin(angle) + (cols - dx) * np.cos(angle))
    width = rng.uniform(1.2, 2.2, (n, 1, 1))
    stroke = (distance < width) & (along < 10)
    dot_r, dot_c = 8 * np.sin(labels * 0.7)[:, None, None], 8 * np.cos(labels * 1.3)[:, None, None]
    dot = (rows - dot_r) ** 2 + (cols - dot_c) ** 2 < 6
    images = 255 * (stroke | dot) * rng.uniform(0.7, 1.0, (n, 1, 1)) + rng.normal(0, 12, (n, 28, 28))
    return np.clip(images, 0, 255).astype(np.uint8), labels


class DigitBatches(PyDataset):
    """Batches of (images scaled to [0, 1], labels) from arrays held in memory."""

    def __init__(self, images, labels, batch_size=64, **kwargs):
        super().__init__(**kwargs)
        self.images, self.labels, self.batch_size = images, labels, batch_size

    def __len__(self):
        return math.ceil(len(self.images) / self.batch_size)

    def __getitem__(self, idx):
        part = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
        return self.images[part].astype("float32") / 255.0, self.labels[part]


def build_model(seed=0):
    """784-50-10 with augmentation at the input (active only while training)."""
    return Sequential([
        Input(shape=(28, 28)),
        RandomRotation(0.04, fill_mode="constant", seed=seed),
        RandomTranslation(0.08, 0.08, fill_mode="constant", seed=seed + 1),
        RandomZoom(0.1, fill_mode="constant", seed=seed + 2),
        Flatten(),
        Dense(50, activation="relu"),
        Dense(10, activation="softmax"),
    ])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--samples", type=int, default=6000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--mnist", action="store_true", help="train on the real MNIST (downloads once)")
    parser.add_argument("--plot", help="save a grid of augmented samples to this PNG")
    args = parser.parse_args(argv)

    neuronet.set_random_seed(0)
    if args.mnist:
        (x_train, y_train), (x_test, y_test) = neuronet.datasets.mnist.load_data()
        x_train, y_train = x_train[:args.samples], y_train[:args.samples]
    else:
        x_train, y_train = synthetic_digits(args.samples, seed=0)
        x_test, y_test = synthetic_digits(max(args.samples // 5, 200), seed=1)

    model = build_model()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["acc"])
    model.summary()
    train = DigitBatches(x_train, y_train, batch_size=64, workers=args.workers)
    history = model.fit(train, epochs=args.epochs, validation_data=DigitBatches(x_test, y_test, 256),
                        seed=0, verbose=2)
    loss, acc = model.evaluate(DigitBatches(x_test, y_test, 256), verbose=0)
    print(f"test loss: {loss:.4f}  test acc: {acc:.4f}")
    if args.plot:
        import neuronet.plot as nplot
        samples = x_train[:6].astype("float32") / 255.0
        augment = build_model(seed=7)
        augment.build((28, 28))
        views = [samples] + [augment.layers[2](augment.layers[1](augment.layers[0](samples, training=True),
                                                                 training=True), training=True) for _ in range(7)]
        grid = np.stack(views, axis=1).reshape(-1, 28, 28)
        nplot.image_grid(grid, ncols=8, path=args.plot,
                         titles=["original" if i % 8 == 0 else "" for i in range(len(grid))])
        print(f"augmented samples saved to {args.plot}")
    return history


if __name__ == "__main__":
    main()
