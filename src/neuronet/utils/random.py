"""Seeding. neuronet draws every random number (initial weights, shuffling, dropout) from its own
``numpy.random.Generator``, so a seed gives bit-identical runs and NumPy's global state is not consumed.

    >>> from neuronet.utils import set_random_seed
    >>> set_random_seed(42)     # like keras.utils.set_random_seed
"""
import contextlib
import random as _py_random
import threading

import numpy as np

_GENERATOR = np.random.default_rng()
_LOCAL = threading.local()   # per-thread override installed by using_generator


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
    """The library-wide generator used when no explicit seed is given (or, inside
    ``using_generator(rng)``, that thread's ``rng``)."""
    override = getattr(_LOCAL, "generator", None)
    return _GENERATOR if override is None else override


@contextlib.contextmanager
def using_generator(rng):
    """Within the block, this thread's neuronet randomness (initial weights, dropout masks, shuffling
    without a seed) comes from ``rng`` (a Generator or an int seed) instead of the global generator.
    Thread-local and restored on exit, so estimators with a ``random_state`` neither consume nor
    depend on the global state, even when several fit in parallel threads.

        >>> with using_generator(0):
        ...     a = global_generator().random()
        >>> with using_generator(0):
        ...     b = global_generator().random()
        >>> a == b
        True
    """
    previous = getattr(_LOCAL, "generator", None)
    _LOCAL.generator = make_generator(rng) if rng is not None else global_generator()
    try:
        yield _LOCAL.generator
    finally:
        _LOCAL.generator = previous


def make_generator(seed=None) -> np.random.Generator:
    """A Generator from ``seed`` (int, Generator, or None for a child of the global generator)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng(global_generator().integers(2**63))
    return np.random.default_rng(int(seed))


# The bit generators NumPy ships; a state naming anything else (the abstract base, a foreign class) is refused.
BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")


def generator_from_state(state, name="state") -> np.random.Generator:
    """A new Generator set to ``state`` (a ``bit_generator.state`` dict), or a ValueError naming ``name``
    when the state names no NumPy bit generator or does not fit the one it names.

        >>> rng = np.random.default_rng(0); state = rng.bit_generator.state; a = rng.random()
        >>> generator_from_state(state).random() == a
        True
    """
    kind = state.get("bit_generator") if isinstance(state, dict) else None
    if kind not in BIT_GENERATORS:
        raise ValueError(f"Received an invalid value for `{name}`, expected a bit generator state (the dict of "
                         f"rng.bit_generator.state) of one of {list(BIT_GENERATORS)}. Received: "
                         f"bit_generator={kind!r}" if isinstance(state, dict) else
                         f"Received an invalid value for `{name}`, expected a bit generator state dict. "
                         f"Received: {type(state).__name__}")
    bit_generator = getattr(np.random, kind)()
    try:
        bit_generator.state = state
    except (TypeError, ValueError, KeyError, OverflowError, AttributeError) as exc:
        raise ValueError(f"Received an invalid value for `{name}`: not a valid {kind} state "
                         f"({type(exc).__name__}: {exc}).") from None
    return np.random.Generator(bit_generator)
