"""The one registry every family (activations, losses, optimizers, ...) uses to map names to objects.

    >>> from neuronet.activations import ACTIVATIONS
    >>> ACTIVATIONS.get("relu")            # doctest: +ELLIPSIS
    <function relu at ...>
    >>> ACTIVATIONS.get("rleu")            # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: Could not interpret activation identifier: 'rleu'. Did you mean 'relu' ...? Known: ...
"""
from __future__ import annotations

import contextlib
import difflib
import threading


_SCOPE = threading.local()


@contextlib.contextmanager
def custom_object_scope(objects):
    """Within the block (this thread), every registry's ``lookup`` finds the names of ``objects`` (a dict
    name -> class or function) first, as Keras' ``keras.saving.custom_object_scope``: loading a model
    with ``custom_objects`` builds the user's own classes at any depth.

        >>> with custom_object_scope({"MyLayer": object}):
        ...     pass
    """
    previous = getattr(_SCOPE, "objects", None)
    _SCOPE.objects = {**(previous or {}), **(objects or {})}
    try:
        yield
    finally:
        _SCOPE.objects = previous


class Registry:
    """Maps lower-case names (and aliases) to objects of one family.

    ``get(identifier)`` accepts None (returns the default, if any), a registered name, a Keras-style
    config dict ``{"class_name": ..., "config": {...}}``, or an object that is already usable, and
    raises ``ValueError`` naming the family, the value and the nearest known names otherwise.
    """

    def __init__(self, family: str, instantiate: bool = False, resolved_outside: tuple[str, ...] = ()):
        self.family = family
        self.instantiate = instantiate  # call the registered class with no arguments when got by name
        # names the family's own ``get`` resolves before asking the registry (metrics' 'acc' / 'accuracy',
        # whose class depends on the loss): not looked up here, but listed and suggested for a misspelling
        self.resolved_outside = tuple(name.lower() for name in resolved_outside)
        self._items: dict[str, object] = {}
        self._canonical: dict[str, str] = {}
        self._spelling: dict[str, str] = {name: name for name in self.resolved_outside}   # as registered

    def register(self, obj=None, *, name: str | None = None, aliases: tuple[str, ...] = ()):
        """Register ``obj`` under ``name`` (default: its ``__name__``) and aliases; usable as a decorator."""
        def add(target):
            key = (name or target.__name__)
            for alias in (key, *aliases):
                self._items[alias.lower()] = target
                self._canonical[alias.lower()] = key
                self._spelling[alias.lower()] = alias
            return target
        return add(obj) if obj is not None else add

    def names(self) -> list[str]:
        return sorted(self._items)

    def __contains__(self, name) -> bool:
        return isinstance(name, str) and name.lower() in self._items

    def canonical(self, name: str) -> str:
        """The name a registered name or alias was registered under ('mse' -> 'MeanSquaredError')."""
        return self._canonical[name.lower()]

    def lookup(self, name: str):
        """The registered object for ``name`` itself (the class, not an instance); inside a
        ``custom_object_scope``, the scope's object of that name first."""
        scoped = getattr(_SCOPE, "objects", None)
        if scoped and isinstance(name, str) and name in scoped:
            return scoped[name]
        if not isinstance(name, str) or name.lower() not in self._items:
            raise ValueError(self.unknown_message(name))
        return self._items[name.lower()]

    def get(self, identifier):
        if isinstance(identifier, str):
            obj = self.lookup(identifier)
            return obj() if self.instantiate and isinstance(obj, type) else obj
        if isinstance(identifier, dict):
            if "class_name" not in identifier:
                raise ValueError(f"Could not interpret {self.family} identifier: {identifier!r}. "
                                 "A config dict needs the keys 'class_name' and 'config'.")
            cls = self.lookup(identifier["class_name"])
            config = identifier.get("config") or {}
            if hasattr(cls, "from_config"):
                return cls.from_config(config)
            return cls(**config) if config else cls
        if identifier is None:
            return None
        if self.instantiate and isinstance(identifier, type):   # a class passed uncalled: HeNormal, Nadam
            return identifier()
        if callable(identifier) or hasattr(identifier, "get_config"):
            return identifier
        raise ValueError(self.unknown_message(identifier))

    def unknown_message(self, value) -> str:
        return (f"Could not interpret {self.family} identifier: {value!r}.{self._suggestion(value)} "
                f"Known: {', '.join(sorted(self._spelling.values(), key=str.lower))}.")

    def _suggestion(self, value) -> str:
        """' Did you mean ...?' with up to three near names, the fewest edits first, one name per object."""
        typed = str(value).lower()
        known = [*self.resolved_outside, *self._items]
        near = sorted(difflib.get_close_matches(typed, known, n=max(len(known), 1), cutoff=0.6),
                      key=lambda name: (_edit_distance(typed, name), name))
        chosen, objects = [], []
        for name in near:
            obj = self._items.get(name, name)      # aliases of one object: only the closest is offered
            if not any(obj is seen for seen in objects):
                chosen.append(name)
                objects.append(obj)
        return f" Did you mean {' or '.join(repr(self._spelling[n]) for n in chosen[:3])}?" if chosen else ""


def _edit_distance(a: str, b: str) -> int:
    """Insertions, deletions, substitutions and swaps of two neighbours turning ``a`` into ``b``
    (optimal string alignment): 'accuarcy' is one edit from 'accuracy' (a swap), eight from
    'binary_accuracy' (seven insertions and the swap; nine without swaps, as Levenshtein counts).

    >>> _edit_distance("accuarcy", "accuracy"), _edit_distance("accuarcy", "binary_accuracy")
    (1, 8)
    """
    before, row = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (ca != cb))
            if before is not None and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        before, row = row, current
    return row[-1]
