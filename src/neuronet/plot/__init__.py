"""Figures for training and teaching, drawn with matplotlib (imported only when a figure is made; works
headless). Every function returns the matplotlib Figure and saves a PNG when given ``path``.

    >>> import neuronet.plot as nplot
    >>> # nplot.learning_curves(history)           train vs validation for loss and each metric
    >>> # nplot.decision_boundary(model, X, y)      a classifier's regions on 2-D data
    >>> # nplot.activation_functions()              each activation and its derivative
    >>> # nplot.optimizer_paths(['sgd', 'adam'])    optimizers' paths on a 2-D loss surface
    >>> # nplot.lr_find_plot(model.lr_find(x, y))   the learning-rate finder's curve
    >>> # nplot.image_grid(x[:16], titles=y[:16])   images in a grid (augmented digits, ...)
"""
from neuronet.plot.activations import activation_functions
from neuronet.plot.boundary import decision_boundary
from neuronet.plot.curves import learning_curves, lr_find_plot
from neuronet.plot.images import image_grid
from neuronet.plot.optimizers import SURFACES, optimizer_paths

__all__ = ["learning_curves", "decision_boundary", "activation_functions", "optimizer_paths",
           "lr_find_plot", "image_grid", "SURFACES"]
