"""A copy of everything a training step changes, to roll back to after a divergence."""
import numpy as np


class TrainingSnapshot:
    """The weights (the model's parameter buffer), the layers' states (batch-norm statistics) and the
    optimizer's slots and step count, copied into buffers allocated once: what fit (at each epoch start)
    and TerminateOnNaN (after each finite batch) restore when training diverges.

        >>> # snapshot = TrainingSnapshot(model); snapshot.take(); ...; snapshot.restore()
    """

    def __init__(self, model):
        self.model = model
        self._model_copy = self._slot_copy = None

    def _model_arrays(self):
        model = self.model
        return [model.parameters.values, *(a for layer in model.layers for a in layer.states.values())]

    def take(self):
        self._model_copy = _copy_into(self._model_copy, self._model_arrays())
        self._slot_copy = _copy_into(self._slot_copy, self.model.optimizer.variables)
        self._iterations = self.model.optimizer.iterations

    def restore(self):
        """Put the copy back; False when there is none (or the model's arrays have changed since)."""
        arrays, optimizer = self._model_arrays(), self.model.optimizer
        if self._model_copy is None or [a.shape for a in arrays] != [a.shape for a in self._model_copy]:
            return False
        for buf, a in zip(self._model_copy, arrays):
            np.copyto(a, buf)
        slots = optimizer.variables
        if [a.shape for a in slots] == [a.shape for a in self._slot_copy]:
            for buf, a in zip(self._slot_copy, slots):
                np.copyto(a, buf)
        elif not self._slot_copy:        # the slots were created after the copy: back to none
            optimizer.set_state({"iterations": self._iterations, "slots": {}})
        else:
            return False
        optimizer.iterations = self._iterations
        return True


def _copy_into(buffers, arrays):
    """Copies of ``arrays``, written into ``buffers`` when their shapes still match (no allocation)."""
    arrays = list(arrays)
    if buffers is None or [b.shape for b in buffers] != [a.shape for a in arrays]:
        return [a.copy() for a in arrays]
    for buf, a in zip(buffers, arrays):
        np.copyto(buf, a)
    return buffers
