"""AdamW: Adam with decoupled weight decay (Loshchilov & Hutter, 2019)."""
from neuronet.optimizers.adam import Adam


class AdamW(Adam):
    """Adam's update preceded, every step, by a decay of the weights that does not pass through the
    moment estimates (g = dL/dW, lr = the learning rate of this step):

        W <- W - lr * weight_decay * W                 (computed as W *= 1 - lr * weight_decay)
        then Adam:  m <- beta_1 m + (1 - beta_1) g;  v <- beta_2 v + (1 - beta_2) g^2
                    W <- W - lr * sqrt(1 - beta_2^t) / (1 - beta_1^t) * m / (sqrt(v) + epsilon)

    L2 regularization (the notes' "weight decay") adds lambda W to g instead, so Adam rescales it;
    AdamW keeps the decay proportional to W. The decay is done by the base class (any optimizer
    accepts ``weight_decay=``, as in Keras 3); AdamW only makes it on by default.

    Keras defaults: learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
    amsgrad=False.

    >>> AdamW().weight_decay
    0.004
    """

    def __init__(self, learning_rate=None, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, **kwargs):
        if weight_decay is None:
            raise ValueError("Received an invalid value for `weight_decay`, expected a non-negative number. "
                             "Received: weight_decay=None")
        super().__init__(learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon, amsgrad=amsgrad,
                         weight_decay=weight_decay, **kwargs)
