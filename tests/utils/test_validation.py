"""Number argument checks: one message style naming the argument and the value."""
import pytest

import neuronet


@pytest.mark.parametrize("make, words", [
    (lambda: __import__("neuronet").optimizers.Adam(beta_1=1.0), r"`beta_1`.*\[0, 1\).*beta_1=1\.0"),
    (lambda: __import__("neuronet").optimizers.SGD(momentum=float("nan")), r"`momentum`.*momentum=nan"),
    (lambda: __import__("neuronet").optimizers.RMSprop(epsilon=-1e-7), r"`epsilon`.*non-negative.*epsilon=-1e-07"),
    (lambda: __import__("neuronet").optimizers.Adam(learning_rate=float("inf")), r"`learning_rate`.*non-negative"),
    (lambda: __import__("neuronet").optimizers.SGD(clipnorm=0), r"`clipnorm`.*positive.*clipnorm=0"),
    (lambda: __import__("neuronet").initializers.RandomNormal(stddev=-1), r"`stddev`.*non-negative.*stddev=-1"),
    (lambda: __import__("neuronet").initializers.Constant("3"), r"`value`.*finite number.*value='3'"),
    (lambda: __import__("neuronet").losses.Huber(delta=True), r"`delta`.*positive.*delta=True"),
    (lambda: __import__("neuronet").layers.ReLU(threshold=float("inf")), r"`threshold`.*finite.*threshold=inf"),
])
def test_number_arguments_are_checked_with_one_message_style(make, words):
    """Every numeric hyper-parameter goes through utils.validation.check_number / check_fraction."""
    with pytest.raises(ValueError, match=words):
        make()


def test_check_number_refuses_an_integer_too_large_for_a_float_with_the_usual_message():
    from neuronet.utils.validation import check_number
    with pytest.raises(ValueError, match=r"`factor`.*non-negative number.*factor=1000000000"):
        check_number(10 ** 400, "factor", minimum=0)
