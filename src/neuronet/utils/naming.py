"""Keras-style automatic names: dense, dense_1, dense_2, ... counted per session."""
import re
from collections import defaultdict

_COUNTS: dict[str, int] = defaultdict(int)


def to_snake_case(name: str) -> str:
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def unique_name(base: str) -> str:
    """'dense' the first time, then 'dense_1', 'dense_2', ... (Keras' naming)."""
    count = _COUNTS[base]
    _COUNTS[base] += 1
    return base if count == 0 else f"{base}_{count}"


def clear_session() -> None:
    """Reset automatic layer and model names, as ``keras.backend.clear_session()`` does."""
    _COUNTS.clear()
