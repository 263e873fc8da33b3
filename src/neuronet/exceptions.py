"""The library's own exception types; all are ValueError subclasses so `except ValueError` still works."""


class NotFittedError(ValueError, AttributeError):
    """A model or estimator was used before it was built, compiled or fitted."""


class ModelFormatError(ValueError):
    """A model file is not a neuronet model file, is corrupted, or disagrees with its own config."""


class UnsafeModelError(ValueError):
    """A model file asks for something a safe loader refuses: pickle, code, paths outside the archive."""
