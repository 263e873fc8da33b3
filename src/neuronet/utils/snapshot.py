"""A copy of everything training changes, to roll back to after a divergence."""
import numpy as np


class TrainingSnapshot:
    """Weights, optimizer slots and step count, and layer states (batch-norm statistics), copied into
    buffers allocated once: what fit (at each epoch start) and TerminateOnNaN (after each finite batch)
    restore when training diverges to NaN."""

    def __init__(self, model):
        self.model = model
        self._buffers = self._shapes = None

    def _arrays(self):
        model = self.model
        arrays = list(model._flat_params)
        arrays += [a for slots in model.optimizer._slots.values() for a in slots.values()]
        arrays += [a for layer in model._layers for a in layer.states.values()]
        return arrays

    def take(self):
        arrays = self._arrays()
        shapes = [a.shape for a in arrays]
        if self._buffers is None or shapes != self._shapes:
            self._buffers = [np.empty_like(a) for a in arrays]
            self._shapes = shapes
        for buf, a in zip(self._buffers, arrays):
            np.copyto(buf, a)
        self._iterations = self.model.optimizer.iterations

    def restore(self):
        arrays = self._arrays()
        if self._buffers is None or len(arrays) != len(self._buffers):
            return False
        for buf, a in zip(self._buffers, arrays):
            np.copyto(a, buf)
        self.model.optimizer.iterations = self._iterations
        return True
