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


def _fit(x):
    import numpy as np
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    model = Sequential([Dense(1, input_shape=(np.shape(x)[1],))])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, np.zeros(len(x), "float32"), epochs=1, verbose=0)


@pytest.mark.parametrize("dtype", ["datetime64[D]", "datetime64[ns]", "timedelta64[s]"])
def test_dates_and_durations_are_refused_as_keras_refuses_them(dtype):
    import numpy as np
    x = np.arange(6).astype(dtype).reshape(3, 2)
    import re
    with pytest.raises(TypeError, match=f"`x` has {re.escape(dtype)} dtype"):
        _fit(x)


def test_pandas_datetime_column_is_refused():
    import pandas as pd
    frame = pd.DataFrame({"when": pd.date_range("2020-01-01", periods=4)})
    with pytest.raises(TypeError, match="dates or durations"):
        _fit(frame)


@pytest.mark.parametrize("make, where", [
    (lambda pd: pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1, pd.NA, 3]}), "row 1, column 1"),
    (lambda pd: pd.DataFrame({"a": [1.0, None, 3.0], "b": [pd.NA, 2, 3]}, dtype=object), "row 0, column 1"),
])
def test_pandas_na_and_none_are_reported_as_missing_values(make, where):
    import pandas as pd
    with pytest.raises(ValueError, match=f"missing value.*first at {where}"):
        _fit(make(pd))


def test_strings_next_to_missing_values_stay_a_non_numeric_error():
    import pandas as pd
    with pytest.raises(TypeError, match="non-numeric"):
        _fit(pd.DataFrame({"a": ["x", pd.NA, "y"]}))


@pytest.mark.parametrize("value", [1e39, -3.5e300, 1.7976931348623157e308])
def test_finite_float64_too_large_for_float32_is_out_of_range_not_infinity(value):
    import numpy as np
    x = np.ones((4, 2))
    x[2, 1] = value
    with pytest.raises(ValueError, match=r"out of float32 range.*row 2, column 1") as info:
        _fit(x)
    assert "infinity" not in str(info.value)
    x[2, 1] = np.inf
    with pytest.raises(ValueError, match="contains infinity"):
        _fit(x)
