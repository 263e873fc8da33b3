"""Seeding. neuronet draws every random number (initial weights, shuffling, dropout) from its own
``numpy.random.Generator``, so a seed gives bit-identical runs and NumPy's global state is not consumed.

    >>> from neuronet.utils import set_random_seed
    >>> set_random_seed(42)     # like keras.utils.set_random_seed
"""
import random as _py_random

import numpy as np

_GENERATOR = np.random.default_rng()


def set_random_seed(seed: int) -> None:
    """Seed neuronet's generator, and, as Keras does, Python's ``random`` and NumPy's global state
    (so notebook code such as ``train_test_split`` without ``random_state`` repeats too)."""
    global _GENERATOR
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"Received an invalid value for `seed`, expected a non-negative integer. "
                         f"Received: seed={seed!r}")
    _GENERATOR = np.random.default_rng(int(seed))
    _py_random.seed(int(seed))
    np.random.seed(int(seed) % 2**32)


def global_generator() -> np.random.Generator:
    """The library-wide generator used when no explicit seed is given."""
    return _GENERATOR


def make_generator(seed=None) -> np.random.Generator:
    """A Generator from ``seed`` (int, Generator, or None for a child of the global generator)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng(_GENERATOR.integers(2**63))
    return np.random.default_rng(int(seed))
