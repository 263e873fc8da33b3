"""A multilayer perceptron from scratch: plain NumPy classes with the notes' formulas, nothing else.

Each layer has forward(x), which caches what its backward needs, and backward(dout), which takes
dL/d(output) and returns dL/d(input); the network keeps its weights in a dict ``params`` ({'W1', 'b1',
'W2', ...}), backpropagation fills ``grads`` with the same keys, and an optimizer updates ``params``
from ``grads``. neuronet computes the same numbers (tests/models/test_reference_mlp.py checks it to
1e-12 in float64); docs/from-scratch.md sets each class next to its neuronet equivalent.

Run:  python examples/from_scratch_mlp.py [--epochs N]
"""
import argparse

import numpy as np


class Affine:
    """z = x @ W + b;   backward: dW = x.T @ dz,  db = dz.sum(0),  dx = dz @ W.T."""
    def __init__(self, W, b):
        self.W, self.b = W, b            # the arrays of params: the optimizer updates them in place

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dz):
        self.dW, self.db = self.x.T @ dz, dz.sum(0)
        return dz @ self.W.T


class ReLU:
    """y = max(0, x);   dy/dx = 1 where x > 0, else 0."""
    def forward(self, x):
        self.mask = x <= 0
        return np.where(self.mask, 0.0, x)

    def backward(self, dout):
        return np.where(self.mask, 0.0, dout)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(z):
    e = np.exp(z - z.max(1, keepdims=True))     # shifted by the row's max: no overflow
    return e / e.sum(1, keepdims=True)


class Sigmoid:
    """y = 1 / (1 + e^-x);   dy/dx = y (1 - y)."""
    def forward(self, x):
        self.y = sigmoid(x)
        return self.y

    def backward(self, dout):
        return dout * self.y * (1 - self.y)


class MeanSquaredError:
    """Linear output y = z;  L = mean over samples and outputs of (y - t)^2;  dL/dz = 2 (y - t) / y.size."""
    output = staticmethod(lambda z: z)

    def forward(self, z, t):
        self.diff = z - t
        return np.mean(self.diff ** 2)

    def backward(self):
        return 2 * self.diff / self.diff.size


class SigmoidWithLoss:
    """Binary cross-entropy on y = sigmoid(z): L = -mean[t log y + (1 - t) log(1 - y)]
    = mean[log(1 + e^z) - t z] (finite for any z);   dL/dz = (y - t) / y.size."""
    output = staticmethod(sigmoid)

    def forward(self, z, t):
        self.y, self.t = sigmoid(z), t
        return np.mean(np.logaddexp(0, z) - t * z)

    def backward(self):
        return (self.y - self.t) / self.t.size


class SoftmaxWithLoss:
    """Categorical cross-entropy on y = softmax(z), one-hot t (n samples):
    L = -(1/n) sum t log y, with log y = z - max z - log sum e^(z - max z);   dL/dz = (y - t) / n."""
    output = staticmethod(softmax)

    def forward(self, z, t):
        shifted = z - z.max(1, keepdims=True)
        log_y = shifted - np.log(np.exp(shifted).sum(1, keepdims=True))
        self.y, self.t = np.exp(log_y), t
        return -np.sum(t * log_y) / len(z)

    def backward(self):
        return (self.y - self.t) / len(self.t)


ACTIVATIONS = {"relu": ReLU, "sigmoid": Sigmoid}
LOSSES = {"mse": MeanSquaredError, "binary_crossentropy": SigmoidWithLoss,
          "categorical_crossentropy": SoftmaxWithLoss}


class MLP:
    """Affine -> activation -> ... -> Affine -> loss, for ``sizes`` = [inputs, hidden..., outputs].
    ``hidden``: one activation name for every hidden layer, or a list. Weights ~ N(0, gain / inputs):
    gain 2 before a ReLU (He), else 1; biases 0."""
    def __init__(self, sizes, hidden="relu", loss="mse", seed=0):
        hidden = [hidden] * (len(sizes) - 2) if isinstance(hidden, str) else list(hidden)
        rng = np.random.default_rng(seed)
        self.params, self.layers = {}, []
        for i in range(1, len(sizes)):
            gain = 2.0 if i <= len(hidden) and hidden[i - 1] == "relu" else 1.0
            self.params[f"W{i}"] = rng.normal(0.0, np.sqrt(gain / sizes[i - 1]), (sizes[i - 1], sizes[i]))
            self.params[f"b{i}"] = np.zeros(sizes[i])
            self.layers.append(Affine(self.params[f"W{i}"], self.params[f"b{i}"]))
            if i <= len(hidden):
                self.layers.append(ACTIVATIONS[hidden[i - 1]]())
        self.last_layer = LOSSES[loss]()

    def scores(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def predict(self, x):
        return self.last_layer.output(self.scores(x))

    def loss(self, x, t):
        return self.last_layer.forward(self.scores(x), t)

    def gradient(self, x, t):
        """Backpropagation: (loss, grads) with grads['W1'] = dL/dW1, ..."""
        loss = self.loss(x, t)
        dout = self.last_layer.backward()
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        affines = [layer for layer in self.layers if isinstance(layer, Affine)]
        grads = {}
        for i, layer in enumerate(affines, start=1):
            grads[f"W{i}"], grads[f"b{i}"] = layer.dW, layer.db
        return loss, grads

    def train_step(self, x, t, optimizer):
        """One gradient step; returns the loss before it."""
        loss, grads = self.gradient(x, t)
        optimizer.update(self.params, grads)
        return loss


class SGD:
    """v <- momentum v - lr g;  W <- W + v   (momentum=0: W <- W - lr g)."""
    def __init__(self, lr=0.01, momentum=0.0):
        self.lr, self.momentum, self.v = lr, momentum, {}

    def update(self, params, grads):
        for key in params:
            self.v[key] = self.momentum * self.v.get(key, 0.0) - self.lr * grads[key]
            params[key] += self.v[key]


class Adam:
    """The notes' Adam, t = 1, 2, ...:
        m <- b1 m + (1 - b1) g;   v <- b2 v + (1 - b2) g^2;   m_hat = m / (1 - b1^t);   v_hat = v / (1 - b2^t)
        W <- W - lr m_hat / (sqrt(v_hat) + eps_hat)
    Keras (and neuronet) add eps to sqrt(v), not to sqrt(v_hat): W <- W - lr_t m / (sqrt(v) + eps) with
    lr_t = lr sqrt(1 - b2^t) / (1 - b1^t). Dividing its numerator and denominator by sqrt(1 - b2^t) gives
    the notes' form with eps_hat = eps / sqrt(1 - b2^t), so that is the eps_hat used here."""
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-7):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.t, self.m, self.v = 0, {}, {}

    def update(self, params, grads):
        self.t += 1
        eps_hat = self.eps / np.sqrt(1 - self.beta2 ** self.t)
        for key in params:
            g = grads[key]
            self.m[key] = self.beta1 * self.m.get(key, 0.0) + (1 - self.beta1) * g
            self.v[key] = self.beta2 * self.v.get(key, 0.0) + (1 - self.beta2) * g * g
            m_hat = self.m[key] / (1 - self.beta1 ** self.t)
            v_hat = self.v[key] / (1 - self.beta2 ** self.t)
            params[key] -= self.lr * m_hat / (np.sqrt(v_hat) + eps_hat)


def main(argv=None):
    """Breast cancer (569 x 30, bundled with scikit-learn): a 30-16-8-1 network, mini-batch Adam."""
    from sklearn.datasets import load_breast_cancer
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30)
    args = parser.parse_args(argv)
    x, t = load_breast_cancer(return_X_y=True)
    rng = np.random.default_rng(0)
    order = rng.permutation(len(x))
    train, test = order[:455], order[455:]
    mean, std = x[train].mean(0), x[train].std(0)
    x, t = (x - mean) / std, t.reshape(-1, 1).astype(float)
    net, optimizer = MLP([30, 16, 8, 1], hidden="relu", loss="binary_crossentropy"), Adam(lr=0.01)
    for epoch in range(1, args.epochs + 1):
        batches = rng.permutation(train)
        losses = [net.train_step(x[b], t[b], optimizer) for b in np.array_split(batches, len(train) // 32)]
        if epoch == 1 or epoch % 10 == 0 or epoch == args.epochs:
            print(f"epoch {epoch:3d}  loss {np.mean(losses):.4f}")
    accuracy = np.mean((net.predict(x[test]) > 0.5) == t[test])
    print(f"test loss {net.loss(x[test], t[test]):.4f}  test accuracy {accuracy:.4f}")


if __name__ == "__main__":
    main()
