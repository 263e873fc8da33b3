"""The notes' Talos vocabulary: the sweep network ``talos_model`` (a Talos model function returning
(history, model)), the ``fmeasure_acc`` metric name and the ``live()`` callback."""
from __future__ import annotations

# Talos' names, so the notes' Talos model function runs with only its imports changed
# (`from neuronet.search import fmeasure_acc, live`). fmeasure_acc is the metric's name: compile looks it
# up as F1Score(average='micro', threshold=0.5) logged under 'fmeasure_acc' (computed over each epoch).
fmeasure_acc = "fmeasure_acc"


def live(metrics=None, path=None, every=1):
    """Talos' ``live()`` callback: the learning curves redrawn after each epoch
    (``neuronet.callbacks.LivePlot``; in a sweep's worker processes it draws nothing)."""
    from neuronet.callbacks import LivePlot
    return LivePlot(metrics=metrics, path=path, every=every)


def talos_model(x_train, y_train, x_val, y_val, params):
    """The notes' sweep network, as a Talos model function returning (history, model):
    Dense(first_neuron) -> Dropout -> hidden_layers x [Dense(hidden_neuron or first_neuron) -> Dropout]
    -> Dense(output units, last_activation); compiled with params['optimizer'] (name, class or instance)
    and params['losses'], trained for params['epochs'] with params['batch_size'] on (x_val, y_val)."""
    from neuronet import optimizers
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    g = params.get
    act, init, drop = g("activation", "relu"), g("kernel_initializer", "glorot_uniform"), float(g("dropout", 0))
    last = g("last_activation", "sigmoid")
    loss, metrics = _talos_loss_and_metrics(params)
    model = Sequential()
    units = [int(g("first_neuron", 10))] + [int(g("hidden_neuron", g("first_neuron", 10)))] * int(g("hidden_layers", 0))
    for i, n in enumerate(units):
        model.add(Dense(n, activation=act, kernel_initializer=init,
                        **({"input_shape": x_train.shape[1:]} if i == 0 else {})))
        if drop:
            from neuronet.layers import Dropout
            model.add(Dropout(drop))
    model.add(Dense(int(g("output_units", 1 if y_train.ndim == 1 else y_train.shape[1])), activation=last,
                    kernel_initializer=init))
    model.compile(optimizer=optimizers.get(g("optimizer", "adam")), loss=loss, metrics=metrics)
    history = model.fit(x_train, y_train, batch_size=int(g("batch_size", 32)), epochs=int(g("epochs", 10)),
                        validation_data=(x_val, y_val), verbose=0)
    return history, model


def _talos_loss_and_metrics(params):
    """talos_model's loss (params['losses']; default binary cross-entropy after a sigmoid, else mse) and
    metrics (['acc'] for a cross-entropy loss, else None)."""
    last = params.get("last_activation", "sigmoid")
    loss = params.get("losses", "binary_crossentropy" if last == "sigmoid" else "mse")
    name = getattr(loss, "__name__", loss if isinstance(loss, str) else type(loss).__name__).lower()
    return loss, (["acc"] if "crossentropy" in name else None)


def _talos_logged(configs):
    """The History keys talos_model logs over ``configs``, in Keras' order (it always validates)."""
    names = {}
    for params in configs:
        logged = ["loss", *(_talos_loss_and_metrics(params)[1] or [])]
        names.update(dict.fromkeys(logged + [f"val_{name}" for name in logged]))
    return list(names)
