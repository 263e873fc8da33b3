"""The notes' 2-2-2 backpropagation worked example (001), run with neuronet's public API.

Inputs 0.05, 0.10; hidden weights w1..w4 = 0.15, 0.20, 0.25, 0.30 with bias 0.35; output weights
w5..w8 = 0.40, 0.45, 0.50, 0.55 with bias 0.60; targets 0.01, 0.99; sigmoid everywhere; squared error
E_total = sum 1/2 (target - out)^2; one gradient-descent step with learning rate 0.5.

Keras stores a Dense kernel as (inputs, units): kernel[i, j] is the weight from input i to unit j. The
notes' h1 = w1*i1 + w2*i2 + b1 and h2 = w3*i1 + w4*i2 + b1, so the hidden kernel is [[w1, w3], [w2, w4]];
likewise o1 = w5*h1 + w6*h2 + b2 and o2 = w7*h1 + w8*h2 + b2 give [[w5, w7], [w6, w8]].
'mse' averages over the 2 outputs: mean (t - o)^2 = 1/2 sum (t - o)^2 = E_total, with the same gradient.

Expected (the correct values; the notes' slide rounds differently: it prints net_h1 = 0.365 instead of
0.3775 and dE/dw5 = 0.0754, w5 -> 0.392, while the arithmetic gives the numbers below):
    E_total = 0.298371109, dE/dw5 = 0.082167041, w5 -> 0.35891648, w1 -> 0.149780716

Run:  python examples/backprop_worked_example.py
"""
import numpy as np

import neuronet
from neuronet.layers import Dense
from neuronet.models import Sequential
from neuronet.optimizers import SGD


def build_network():
    """The notes' network with its weights, compiled with loss 'mse' and SGD(0.5), in float64."""
    neuronet.config.set_floatx("float64")
    model = Sequential([Dense(2, activation="sigmoid", input_shape=(2,)), Dense(2, activation="sigmoid")])
    w1, w2, w3, w4, w5, w6, w7, w8 = 0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55
    model.set_weights([np.array([[w1, w3], [w2, w4]]), np.array([0.35, 0.35]),
                       np.array([[w5, w7], [w6, w8]]), np.array([0.60, 0.60])])
    model.compile(optimizer=SGD(learning_rate=0.5), loss="mse")
    return model


X = np.array([[0.05, 0.10]])
Y = np.array([[0.01, 0.99]])


def main():
    model = build_network()
    print(f"E_total before the step: {model.evaluate(X, Y, verbose=0):.9f}")
    step = model.explain_step(X, Y)          # the whole step as tables; the model is not changed
    print(step)
    print(f"\ndE/dw5 = {step.weight(model.layers[1].name, 'kernel', (0, 0)).gradient:.9f}")
    model.fit(X, Y, batch_size=1, epochs=1, shuffle=False, verbose=0)   # the real step
    kernel1, _, kernel2, _ = model.get_weights()
    print(f"w5 after one step: {kernel2[0, 0]:.8f}")
    print(f"w1 after one step: {kernel1[0, 0]:.9f}")
    neuronet.config.set_floatx("float32")


if __name__ == "__main__":
    main()
