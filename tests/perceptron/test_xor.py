"""A Sequential network learns XOR by backpropagation."""
from neuronet.perceptron import XOR_X, train_xor_network


def test_sequential_learns_xor_by_backpropagation():
    model, history = train_xor_network(seed=0, epochs=2000)
    assert history.history["acc"][-1] == 1.0
    assert len(history.epoch) < 100                 # docs/fundamentals.md: under 100 epochs, then it stops
    assert (model.predict(XOR_X).ravel() > 0.5).astype(int).tolist() == [0, 1, 1, 0]
