# Source: Hands-On Machine Learning (2nd ed.), chapter 10, "Building a Regression MLP Using the Sequential
# API" (https://github.com/ageron/handson-ml2/blob/master/10_neural_nets_with_keras.ipynb). Only the import
# lines are changed; data: random rows of California housing's shape (8 features, 2,000 rows);
# epochs 20 -> 2.
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import neuronet as keras                  # was: from tensorflow import keras
from sklearn.datasets import fetch_california_housing
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

# data: fetch_california_housing() -> a Bunch with random data and target of its shape
from sklearn.utils import Bunch
_rng = np.random.default_rng(42)
housing = Bunch(data=_rng.normal(size=(2000, 8)), target=_rng.uniform(0.15, 5, 2000))

X_train_full, X_test, y_train_full, y_test = train_test_split(housing.data, housing.target, random_state=42)
X_train, X_valid, y_train, y_valid = train_test_split(X_train_full, y_train_full, random_state=42)

scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_valid = scaler.transform(X_valid)
X_test = scaler.transform(X_test)

np.random.seed(42)

model = keras.models.Sequential([
    keras.layers.Dense(30, activation="relu", input_shape=X_train.shape[1:]),
    keras.layers.Dense(1)
])
model.compile(loss="mean_squared_error", optimizer=keras.optimizers.SGD(lr=1e-3))
history = model.fit(X_train, y_train, epochs=2, validation_data=(X_valid, y_valid))
mse_test = model.evaluate(X_test, y_test)
X_new = X_test[:3]
y_pred = model.predict(X_new)

plt.plot(pd.DataFrame(history.history))
plt.grid(True)
plt.gca().set_ylim(0, 1)
plt.show()
y_pred
