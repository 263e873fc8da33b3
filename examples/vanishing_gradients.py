"""Vanishing gradients and dying ReLUs (000, sections 16-18), measured with neuronet.diagnostics.

A 10-layer sigmoid network with Glorot initialization: each layer multiplies the backward signal by
f'(x) <= 0.25, so the first layers' gradients are thousands of times smaller than the output layer's
(f'(x) f'(x) ... f'(x) ~ 0). The same network with ReLU and He initialization keeps them within an order
of magnitude. Then a ReLU network trained with a far too high learning rate: its units die.

Run:  python examples/vanishing_gradients.py
"""
import numpy as np

import neuronet
from neuronet import diagnostics
from neuronet.layers import Dense
from neuronet.models import Sequential
from neuronet.optimizers import SGD


def make_data(n=256, d=20, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d))
    y = (x[:, :2].sum(axis=1) > 0).astype(float)
    return x, y


def deep_network(activation, initializer, depth=10, width=32, d=20, seed=0):
    """``depth`` Dense layers: depth - 1 hidden ones of ``width`` units, then a sigmoid output."""
    neuronet.set_random_seed(seed)
    model = Sequential([Dense(width, activation=activation, kernel_initializer=initializer, input_shape=(d,))])
    for _ in range(depth - 2):
        model.add(Dense(width, activation=activation, kernel_initializer=initializer))
    model.add(Dense(1, activation="sigmoid"))
    model.compile(optimizer=SGD(learning_rate=0.01), loss="binary_crossentropy")
    return model


def main():
    x, y = make_data()
    sigmoid_net = deep_network("sigmoid", "glorot_uniform")
    print("10-layer sigmoid network, Glorot initialization")
    print(diagnostics.check(sigmoid_net, x, y), end="\n\n")
    relu_net = deep_network("relu", "he_normal")
    print("10-layer ReLU network, He initialization")
    print(diagnostics.check(relu_net, x, y), end="\n\n")

    # Gradient norms per epoch, recorded in History by the GradientMonitor callback.
    history = sigmoid_net.fit(x, y, epochs=3, batch_size=32, verbose=0,
                              callbacks=[diagnostics.GradientMonitor()])
    first, last = sigmoid_net.layers[0].name, sigmoid_net.layers[-1].name
    print(f"sigmoid net, per-epoch gradient norm of {first}: {np.round(history.history[first + '_grad_norm'], 8)}"
          f" vs {last}: {np.round(history.history[last + '_grad_norm'], 4)}\n")

    # Dying ReLUs: a high learning rate pushes weights and biases so far that units stop firing for
    # good (clipnorm keeps the steps finite, so the units die rather than the loss turning NaN).
    rng = np.random.default_rng(0)
    x_reg = rng.normal(size=(256, 20))
    y_reg = 3.0 * x_reg[:, :3].sum(axis=1) + 5.0
    for lr in (0.01, 2.0):
        neuronet.set_random_seed(0)
        net = Sequential([Dense(32, activation="relu", kernel_initializer="he_normal", input_shape=(20,)),
                          Dense(32, activation="relu", kernel_initializer="he_normal"),
                          Dense(32, activation="relu", kernel_initializer="he_normal"), Dense(1)])
        net.compile(optimizer=SGD(learning_rate=lr, clipnorm=1.0), loss="mse")
        history = net.fit(x_reg, y_reg, epochs=5, batch_size=32, verbose=0,
                          callbacks=[diagnostics.GradientMonitor()])
        dead = {k: v[-1] for k, v in history.history.items() if k.endswith("_dead_fraction")}
        print(f"ReLU regression network, learning rate {lr}: final loss {history.history['loss'][-1]:.4g}, "
              f"dead fraction per layer in the last epoch {dead}")
        print(diagnostics.check(net, x_reg, y_reg), end="\n\n")


if __name__ == "__main__":
    main()
