"""The small worked numbers of the notes (000, 002, 003), each computed with neuronet.

Where a slide's arithmetic is off, the correct value is printed next to the slide's:
- cross-entropy -log 0.6: the slide says 0.22 "with Napier's e", but ln gives 0.5108; 0.22 is log10.
- CCE example: the slide's probabilities sum to 1.01; Keras (and neuronet) rescale y_pred to sum to 1.

Run:  python examples/worked_numbers.py
"""
import math

import numpy as np

import neuronet
from neuronet import activations, losses
from neuronet.layers import Dense
from neuronet.models import Sequential
from neuronet.optimizers import SGD, Adam
from neuronet.perceptron import Perceptron


def perceptron_examples():
    """000: 0.4*1.0 + 0.5*0.4 - 0.8 = -0.2 (output 0) and 0.8*0.5 + 0.5*1.2 - 0.2 = 0.8 (output 1)."""
    p1, p2 = Perceptron([0.4, 0.5], bias=-0.8), Perceptron([0.8, 0.5], bias=-0.2)
    return (p1.net_input(1.0, 0.4), p1(1.0, 0.4)), (p2.net_input(0.5, 1.2), p2(0.5, 1.2))


def softmax_example():
    """002: softmax([2.1, 3.2, 1.5]) = [0.2196, 0.6598, 0.1205] (the slide: 0.22, 0.66, 0.12)."""
    return activations.softmax(np.array([2.1, 3.2, 1.5]))


def cross_entropy_examples():
    """000 and 002: -ln 0.6, BCE for y=1 with 0.92, for y=0 with 0.94, and the base-2 CCE example."""
    cce, bce = losses.get("categorical_crossentropy"), losses.get("binary_crossentropy")
    ce = float(cce.per_sample(np.array([[1.0, 0, 0]]), np.array([[0.6, 0.2, 0.2]]))[0])
    b = bce.per_sample(np.array([[1.0], [0.0]]), np.array([[0.92], [0.94]]))
    cce_bits = -math.log2(0.775)
    return ce, float(b[0]), float(b[1]), cce_bits


def slope_step():
    """003: node value 3, weight 2, target 10 -> prediction 6, slope 2 * (6 - 10) * 3 = -24; with
    learning rate 0.01 the new weight is 2 - 0.01 * (-24) = 2.24 (one SGD step on squared error)."""
    model = Sequential([Dense(1, use_bias=False, input_shape=(1,))])
    model.set_weights([np.array([[2.0]])])
    model.compile(optimizer=SGD(learning_rate=0.01), loss="mse")
    step = model.explain_step([[3.0]], [[10.0]])
    model.fit(np.array([[3.0]]), np.array([[10.0]]), batch_size=1, epochs=1, verbose=0)
    return float(step.weights.gradient.iloc[0]), float(model.get_weights()[0][0, 0])


LINE_X = np.array([0.6, 0.8, 1.1])
LINE_Y = np.array([1.1, 1.2, 2.1])


def line_fit_gradients(slope=1.0, intercept=0.0):
    """002: loss = sum of squared residuals SSR = sum (y - (slope x + intercept))^2;
    dSSR/dslope = -2 sum x (y - (slope x + intercept)) = -3.44, dSSR/dintercept = -2 sum (y - ...) = -3.8
    at slope 1, intercept 0. neuronet's 'mse' is SSR / n, so its gradients times n = 3 give the same."""
    model = Sequential([Dense(1, input_shape=(1,))])
    model.set_weights([np.array([[slope]]), np.array([intercept])])
    step = model.explain_step(LINE_X.reshape(-1, 1), LINE_Y.reshape(-1, 1), learning_rate=0.01, loss="mse")
    g = step.weights.set_index("param").gradient * len(LINE_X)
    return float(g["kernel"]), float(g["bias"])


def adam_bias_correction(grad=0.5, lr=0.1):
    """002: after the first step m = (1 - beta_1) g and v = (1 - beta_2) g^2, so the bias-corrected
    m_hat = m / (1 - beta_1^1) = g and v_hat = v / (1 - beta_2^1) = g^2: the first step is
    lr * g / (sqrt(g^2) + eps_hat) ~ lr * sign(g), whatever the size of g."""
    opt = Adam(learning_rate=lr)
    w = np.array([1.0])
    opt.apply([w], [np.array([grad])])
    slots = opt.get_state()["slots"]["0"]
    m_hat = slots["m"][0] / (1 - opt.beta_1 ** 1)
    v_hat = slots["v"][0] / (1 - opt.beta_2 ** 1)
    return float(m_hat), float(v_hat), float(w[0])


def main():
    neuronet.config.set_floatx("float64")
    (a1, y1), (a2, y2) = perceptron_examples()
    print(f"perceptron: 0.4*1.0 + 0.5*0.4 - 0.8 = {a1:.6g} -> y = {y1};  0.8*0.5 + 0.5*1.2 - 0.2 = {a2:.6g} -> y = {y2}")
    print(f"softmax([2.1, 3.2, 1.5]) = {np.round(softmax_example(), 6)}  (slide: [0.22, 0.66, 0.12])")
    ce, b1, b0, bits = cross_entropy_examples()
    print(f"-ln 0.6 = {ce:.6f}  (the slide's 0.22 is -log10 0.6 = {-math.log10(0.6):.6f})")
    print(f"BCE y=1, p=0.92: {b1:.6f} (slide 0.083);  y=0, p=0.94: {b0:.6f} (slide 2.81)")
    print(f"CCE in bits, -log2(0.775) = {bits:.6f} (slide 0.3677)")
    grad, w = slope_step()
    print(f"slope: gradient {grad:.6g}, new weight 2 - 0.01 * ({grad:.6g}) = {w:.6g}")
    gs, gi = line_fit_gradients()
    print(f"line fit at slope 1, intercept 0: dSSR/dslope = {gs:.6g}, dSSR/dintercept = {gi:.6g}")
    m_hat, v_hat, w = adam_bias_correction()
    print(f"Adam, first step with g = 0.5: m_hat = {m_hat:.6g}, v_hat = {v_hat:.6g}, w: 1.0 -> {w:.6g}")
    neuronet.config.set_floatx("float32")


if __name__ == "__main__":
    main()
