"""The optimizer base: learning rate (a number or a schedule), gradient clipping, weight decay, slots.

Subclasses implement ``update(param, grad, lr, slots)`` in place and element-wise (``apply`` may call it
on consecutive blocks of a long buffer), with their update equations in the docstring, and list their
slot names in ``slot_names``. ``t`` (``self.iterations`` after the increment) counts steps from 1. One
step of ``apply``, as Keras 3 orders it:

    g <- clip(g)                          clipnorm (per variable) | global_clipnorm | clipvalue
    W <- W - lr * weight_decay * W        only when weight_decay is set (decoupled decay, as AdamW)
    t <- t + 1;  update(W, g, lr, slots)  the optimizer's own rule
    every 16th step: float32/float64 slot values below the smallest normal (|s| < 1.2e-38 in float32) <- 0

``lr`` is the learning rate at the step count *before* the increment, so a schedule sees 0, 1, 2, ...

    >>> import numpy as np
    >>> from neuronet.optimizers import SGD
    >>> w, g = np.array([1.0]), np.array([0.5])
    >>> SGD(learning_rate=0.1).apply([w], [g]); w           # W <- W - lr * dL/dW
    array([0.95])
"""
from __future__ import annotations

import math
import threading

import numpy as np

from neuronet.utils.validation import check_number
from neuronet.optimizers.learning_rate import LearningRate

UPDATE_BLOCK = 32768          # elements: a block's five float32 arrays (640 KB) fit the L2 cache
FLUSH_SUBNORMALS_EVERY = 16   # steps; a subnormal m lives ~150 steps (0.9^150 ~ 1e-7) before reaching 0


def check_epsilon(epsilon):
    """``epsilon`` as a non-negative float; None is Keras 2's documented default (``Adam(..., epsilon=None,
    decay=0.0)``), which meant the backend's epsilon, 1e-7: Keras 3's default, so None gives it."""
    return 1e-7 if epsilon is None else check_number(epsilon, "epsilon", minimum=0)


def keras2_decay(learning_rate, decay):
    """The Keras 2 spelling ``decay=``: lr_t = lr / (1 + decay * iterations), iterations counted before
    the step (0, 1, 2, ...), exactly Keras 2's; returned as the equivalent Keras 3 schedule
    ``InverseTimeDecay(lr, decay_steps=1, decay_rate=decay)`` (``decay=0``, Keras 2's default: the number)."""
    decay = check_number(decay, "decay", minimum=0)
    if decay == 0:
        return learning_rate
    if callable(learning_rate):
        raise ValueError("`decay` (Keras 2's lr / (1 + decay * iterations)) needs a number as the learning rate; "
                         f"this one is a schedule. Received: learning_rate={learning_rate!r}, decay={decay!r}")
    from neuronet.optimizers.schedules import InverseTimeDecay
    return InverseTimeDecay(check_number(learning_rate, "learning_rate", minimum=0), decay_steps=1,
                            decay_rate=decay)


class Optimizer:
    """Base class; see the module docstring. ``decay=`` is the Keras 2 spelling of
    ``learning_rate=InverseTimeDecay(lr, decay_steps=1, decay_rate=decay)`` (see ``keras2_decay``)."""

    slot_names: tuple[str, ...] = ()
    defaults = {"learning_rate": 0.001}

    def __init__(self, learning_rate=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 weight_decay=None, name=None, lr=None, **kwargs):
        decay = kwargs.pop("decay", None)
        if kwargs:
            raise TypeError(f"{type(self).__name__} got unexpected keyword argument(s) {sorted(kwargs)}. "
                            f"Accepted: learning_rate (or lr), clipnorm, clipvalue, global_clipnorm, "
                            f"weight_decay, name, and the optimizer's own hyper-parameters.")
        if lr is not None and learning_rate is not None:
            raise ValueError("Pass either `learning_rate` or its alias `lr`, not both. "
                             f"Received: learning_rate={learning_rate!r}, lr={lr!r}")
        if learning_rate is None:
            learning_rate = lr if lr is not None else self.defaults["learning_rate"]
        if decay is not None:
            learning_rate = keras2_decay(learning_rate, decay)
        set_count = sum(v is not None for v in (clipnorm, clipvalue, global_clipnorm))
        if set_count > 1:
            raise ValueError("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. "
                             f"Received: clipnorm={clipnorm}, clipvalue={clipvalue}, global_clipnorm={global_clipnorm}")
        for arg, value in (("clipnorm", clipnorm), ("clipvalue", clipvalue), ("global_clipnorm", global_clipnorm)):
            if value is not None:
                check_number(value, arg, minimum=0, strict=True)
        self.clipnorm, self.clipvalue, self.global_clipnorm = (
            None if v is None else float(v) for v in (clipnorm, clipvalue, global_clipnorm))
        if weight_decay is not None:
            weight_decay = check_number(weight_decay, "weight_decay", minimum=0)
        self.weight_decay = weight_decay
        self.name = name or type(self).__name__.lower()
        self._schedule = None
        self.learning_rate = learning_rate
        self.iterations = 0
        self._slots: dict[int, dict[str, np.ndarray]] = {}
        self._scratch_buffers: dict[tuple, np.ndarray] = {}
        self._operand_cache: dict[tuple, tuple] = {}

    # ---- learning rate --------------------------------------------------------------------------------
    @property
    def learning_rate(self) -> float:
        """The current rate: the number set, or the schedule evaluated at ``iterations``."""
        if self._schedule is not None:
            return LearningRate(self._schedule(self.iterations), self)
        return LearningRate(self._lr, self)   # a float that K.set_value / .assign can change

    @learning_rate.setter
    def learning_rate(self, value):
        if callable(value):
            self._schedule, self._lr = value, None
            return
        if self._schedule is not None:
            raise TypeError("This optimizer was created with a learning-rate schedule, so its learning rate "
                            "cannot be set to a number. Create it with a float `learning_rate` instead. "
                            f"Received: learning_rate={value!r}")
        check_number(value, "learning_rate", minimum=0)
        # A Python float: a NumPy float64 scalar would silently upcast float32 updates to float64.
        self._lr = float(value)

    lr = learning_rate  # the notes' spelling: optimizer.lr

    @property
    def schedule(self):
        """The learning-rate schedule (a callable of the step count), or None for a fixed number. Setting
        None keeps the current rate as a number; setting a schedule replaces the number."""
        return self._schedule

    @schedule.setter
    def schedule(self, value):
        if value is None:
            if self._schedule is not None:   # a plain float: `learning_rate` reads as a LearningRate
                self._lr, self._schedule = float(self._schedule(self.iterations)), None
        elif callable(value):
            self._schedule, self._lr = value, None
        else:
            raise TypeError("Received an invalid value for `schedule`, expected a learning-rate schedule (a "
                            f"callable of the step count) or None. Received: schedule={value!r}")

    @property
    def variables(self) -> list:
        """The live slot arrays (m, v, ...), in a fixed order: what a snapshot copies and restores."""
        return [a for index in sorted(self._slots) for a in self._slots[index].values()]

    # ---- applying gradients ---------------------------------------------------------------------------
    def apply(self, params, grads, segments=None):
        """Update each array in ``params`` in place from ``grads`` (lists of equal-shaped arrays).

        ``segments`` (offsets ``[0, n1, n1+n2, ..., size]`` into a single flat parameter array, as the
        model hands over one contiguous buffer) make ``clipnorm`` act per variable as in Keras.
        """
        if self.clipnorm is not None or self.global_clipnorm is not None or self.clipvalue is not None:
            grads = self._clip(grads, segments)
        lr = self._lr if self._schedule is None else float(self._schedule(self.iterations))
        if self.weight_decay:
            for param in params:
                param *= 1.0 - lr * self.weight_decay      # W <- W - lr * wd * W
        self.iterations += 1
        self._prepare_step()
        # One thread: a second one helping with a large buffer was 6% slower per epoch (784-512-256-10),
        # because the BLAS worker left spinning on the other core after each product outcompetes it.
        for index, (param, grad) in enumerate(zip(params, grads)):
            slots = self._slots_for(index, param)
            if param.ndim != 1 or param.size <= UPDATE_BLOCK:
                self.update(param, grad, lr, slots)
                continue
            # Every update rule is element-wise, so a long buffer is updated block by block: each block's
            # W, g, slots and work array stay in the processor's cache through the rule's dozen passes.
            for start in range(0, param.size, UPDATE_BLOCK):
                part = slice(start, start + UPDATE_BLOCK)
                self.update(param[part], grad[part], lr, {name: slot[part] for name, slot in slots.items()})
        if self.iterations % FLUSH_SUBNORMALS_EVERY == 0:
            self.flush_subnormal_slots()

    def flush_subnormal_slots(self):
        """Set slot values below the dtype's smallest normal number to 0: s[|s| < tiny] = 0.

        A moment whose gradient stays 0 (a dead ReLU unit's) decays geometrically, m <- 0.9 m, into
        subnormal numbers, which x86 processors compute many times slower than normal ones: W2 (Adam,
        float32) spent twice as long per epoch once ~7,000 of its m entries were subnormal
        (bench/notes/optimizer_update.txt). What the flush removes moves a weight by under 1e-33, which
        float32 cannot represent beside any weight that is not itself that small; TensorFlow's CPU kernels
        get the same from the processor's flush-to-zero mode.

        float16 slots are left alone: NumPy computes float16 through float32, in which every float16 value
        is normal (no slow path to avoid), and float16's smallest normal, 6.1e-5, is a live value there
        (Adam's v of a 0.01 gradient stays below it for hundreds of steps).
        """
        for slots in self._slots.values():
            for slot in slots.values():
                if slot.dtype.kind == "f" and slot.dtype.itemsize >= 4:
                    magnitude = np.abs(slot, out=self._scratch(slot))
                    slot[magnitude < np.finfo(slot.dtype).tiny] = 0

    def apply_gradients(self, grads_and_vars):
        """Keras' spelling: ``optimizer.apply_gradients(zip(grads, variables))``."""
        pairs = list(grads_and_vars)
        self.apply([v for _, v in pairs], [g for g, _ in pairs])

    def update(self, param, grad, lr, slots):  # pragma: no cover - abstract
        raise NotImplementedError

    def _prepare_step(self):
        """Hook run once per step after the increment, before the per-variable updates (Nadam)."""

    def _initial_slot_value(self, name) -> float:
        return 0.0

    def _slots_for(self, index, param):
        slots = self._slots.get(index)
        # All slots of a variable share its shape, so checking the first is enough (this runs every step).
        if slots is None or len(slots) != len(self.slot_names) or \
                (slots and next(iter(slots.values())).shape != param.shape):
            slots = {k: np.full_like(param, self._initial_slot_value(k)) for k in self.slot_names}
            self._slots[index] = slots
        return slots

    def _scratch(self, param, which=0):
        """A reusable work array shaped like ``param`` (not state: its content is garbage between steps)."""
        key = (param.shape, param.dtype.str, which, threading.get_ident())  # one set per thread
        buf = self._scratch_buffers.get(key)
        if buf is None:
            buf = self._scratch_buffers[key] = np.empty_like(param)
        return buf

    def _operands(self, dtype, *values):
        """``values`` as 0-d arrays of ``dtype``. NumPy converts a Python float operand on every ufunc
        call; a 0-d array of the parameters' own dtype gives the same bits without that conversion
        (bench/notes/ops.txt). Recent sets are kept: constants cost nothing."""
        key = (dtype, values)
        ops = self._operand_cache.get(key)
        if ops is None:
            if len(self._operand_cache) >= 16:
                self._operand_cache.clear()
            ops = self._operand_cache[key] = tuple(np.array(v, dtype=dtype) for v in values)
        return ops

    def _clip(self, grads, segments):
        if self.clipnorm is not None:
            single = len(grads) == 1 and segments is not None and int(segments[-1]) == grads[0].size
            return [self._clip_per_variable(g, segments if single else None) for g in grads]
        if self.global_clipnorm is not None:
            norm = math.sqrt(sum(float(np.dot(g.ravel(), g.ravel())) for g in grads))
            if norm > self.global_clipnorm:
                grads = [g * (self.global_clipnorm / norm) for g in grads]
            return grads
        if self.clipvalue is not None:
            return [np.clip(g, -self.clipvalue, self.clipvalue) for g in grads]
        return grads

    def _clip_per_variable(self, grad, segments):
        """g_i <- g_i * clipnorm / max(||g_i||, clipnorm) for each variable i (a segment of the buffer)."""
        flat = grad.ravel()
        bounds = np.asarray(segments if segments is not None else [0, flat.size], dtype=np.int64)
        lengths = np.diff(bounds)
        starts = bounds[:-1][lengths > 0]
        norms = np.sqrt(np.add.reduceat(np.square(flat, dtype=np.float64), starts))
        scale = np.minimum(1.0, self.clipnorm / np.maximum(norms, 1e-300)).astype(grad.dtype)
        return (flat * np.repeat(scale, lengths[lengths > 0])).reshape(grad.shape)

    # ---- state and config -----------------------------------------------------------------------------
    def get_state(self) -> dict:
        """Step count, slot arrays and learning rate (for saving and resuming): ``{"iterations": t,
        "slots": {...}, "learning_rate": lr}`` (``learning_rate`` None while a schedule sets it: see
        ``schedule``)."""
        return {"iterations": self.iterations,
                "slots": {str(i): {k: v.copy() for k, v in s.items()} for i, s in self._slots.items()},
                "learning_rate": None if self._schedule is not None else float(self._lr)}

    def set_state(self, state: dict, params=None) -> None:
        """Restore what ``get_state`` returned; the next step continues exactly where it left off. A
        numeric ``learning_rate`` in ``state`` replaces the current rate (not a schedule).

        Every piece is checked before anything is assigned (all or nothing): ``iterations`` a
        non-negative integer, ``learning_rate`` None or a finite number >= 0, and each slot one of this
        optimizer's ``slot_names``, a finite float array; with ``params`` (the arrays ``apply`` updates,
        e.g. ``[model.parameters.values]``) each slot must also have its parameter's shape and dtype.
        Otherwise a ValueError naming the piece, and the optimizer is unchanged.
        """
        iterations, slots, rate = self.check_state(state, params)
        self.iterations, self._slots = iterations, slots
        if rate is not None and self._schedule is None:
            self._lr = rate

    def check_state(self, state, params=None):
        """``(iterations, slots, learning_rate)`` of ``state`` once all are valid (see ``set_state``);
        slots are fresh copies, so nothing is shared with ``state``."""
        if not isinstance(state, dict) or not isinstance(state.get("slots"), dict):
            raise ValueError(f"Invalid optimizer state: expected the dict of get_state() with 'iterations' and "
                             f"'slots'. Received: {type(state).__name__}")
        iterations = state.get("iterations")
        if isinstance(iterations, bool) or not isinstance(iterations, (int, np.integer)) or iterations < 0:
            raise ValueError("Invalid optimizer state: `iterations` must be a non-negative integer. "
                             f"Received: iterations={iterations!r}")
        rate = state.get("learning_rate")
        if rate is not None:
            rate = check_number(rate, "learning_rate", minimum=0)
        params = None if params is None else list(params)
        slots = {}
        for index, named in state["slots"].items():
            try:
                i = int(index)
            except (TypeError, ValueError):
                i = -1
            if i < 0 or (params is not None and i >= len(params)) or str(i) != str(index).strip():
                count = "" if params is None else f" of 0..{len(params) - 1}"
                raise ValueError(f"Invalid optimizer state: slot index {index!r} is not a parameter index{count}.")
            if not isinstance(named, dict) or set(named) != set(self.slot_names):
                got = sorted(named) if isinstance(named, dict) else named
                raise ValueError(f"Invalid optimizer state: {type(self).__name__} keeps the slots "
                                 f"{list(self.slot_names)} per parameter; parameter {i} has {got!r}.")
            slots[i] = {name: self._checked_slot(i, name, named[name], None if params is None else params[i])
                        for name in self.slot_names}
        return int(iterations), slots, rate

    def _checked_slot(self, index, name, value, param):
        where = f"slot {name!r} of parameter {index}"
        if not isinstance(value, np.ndarray) or value.dtype.kind != "f":
            kind = value.dtype if isinstance(value, np.ndarray) else type(value).__name__
            raise ValueError(f"Invalid optimizer state: {where} must be a float array. Received: {kind}")
        if param is not None and (value.shape != param.shape or value.dtype != param.dtype):
            raise ValueError(f"Invalid optimizer state: {where} is a {value.shape} {value.dtype} array, but "
                             f"the parameter is {param.shape} {param.dtype}.")
        if not np.isfinite(value).all():
            raise ValueError(f"Invalid optimizer state: {where} holds NaN or infinite values.")
        return np.array(value)

    def get_config(self) -> dict:
        from neuronet.optimizers.schedules import serialize_schedule
        lr = serialize_schedule(self._schedule) if self._schedule is not None else self._lr
        cfg = {"name": self.name, "learning_rate": lr}
        for key in ("clipnorm", "clipvalue", "global_clipnorm", "weight_decay"):
            if getattr(self, key) is not None:
                cfg[key] = getattr(self, key)
        return cfg

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            from neuronet.optimizers.schedules import get_schedule
            config["learning_rate"] = get_schedule(config["learning_rate"])
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items() if k != "name")
        return f"{type(self).__name__}({args})"
