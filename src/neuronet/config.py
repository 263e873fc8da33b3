"""Global settings: the default float type (Keras' ``floatx``).

    >>> import neuronet
    >>> neuronet.config.floatx()
    'float32'
    >>> neuronet.config.set_floatx("float64")   # gradient checks and exact arithmetic
    >>> neuronet.config.floatx()
    'float64'
    >>> neuronet.config.set_floatx("float32")   # back to the default
"""
import numpy as np

_FLOATX = "float32"
_ALLOWED = ("float16", "float32", "float64")
_EPSILON = 1e-7


def floatx() -> str:
    """The default float type of new layers and of the data given to ``fit``/``predict``."""
    return _FLOATX


def set_floatx(value: str) -> None:
    global _FLOATX
    if str(value) not in _ALLOWED:
        raise ValueError(f"Unknown `floatx` value: {value!r}. Expected one of {_ALLOWED}.")
    _FLOATX = str(value)


def epsilon() -> float:
    """Keras' fuzz factor, 1e-7 unless set: read by ``neuronet.backend.epsilon()`` and the custom metrics
    written with it. The built-in losses and metrics clip with Keras' default 1e-7 whatever is set."""
    return _EPSILON


def set_epsilon(value: float) -> None:
    global _EPSILON
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not 0 < number < float("inf"):
        raise ValueError(f"Received an invalid value for `epsilon`: expected a positive finite number. "
                         f"Received: epsilon={value!r}")
    _EPSILON = number


def resolve_dtype(dtype=None) -> np.dtype:
    """``dtype`` as a NumPy float dtype, or the global floatx when None."""
    if dtype is None:
        return np.dtype(_FLOATX)
    dt = np.dtype(dtype)
    if dt.name not in _ALLOWED:
        raise ValueError(f"Received an invalid value for `dtype`: {dtype!r}. Expected one of {_ALLOWED}.")
    return dt
