# Source: Aurélien Géron, Hands-On Machine Learning (2nd ed.), chapter 10, "Building an Image Classifier
# Using the Sequential API" (https://github.com/ageron/handson-ml2/blob/master/10_neural_nets_with_keras.ipynb).
# Only the import lines are changed; data: random images of Fashion-MNIST's shape (6,000 rows instead of
# 60,000); epochs 30 -> 2.
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import neuronet as keras                  # was: from tensorflow import keras

# data: keras.datasets.fashion_mnist.load_data() -> the same shapes and dtypes, random values
_rng = np.random.default_rng(42)
X_train_full, y_train_full = _rng.integers(0, 256, (6000, 28, 28), dtype=np.uint8), _rng.integers(0, 10, 6000, dtype=np.uint8)
X_test, y_test = _rng.integers(0, 256, (1000, 28, 28), dtype=np.uint8), _rng.integers(0, 10, 1000, dtype=np.uint8)

X_train_full.shape
X_train_full.dtype

X_valid, X_train = X_train_full[:5000] / 255., X_train_full[5000:] / 255.
y_valid, y_train = y_train_full[:5000], y_train_full[5000:]
X_test = X_test / 255.

class_names = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
               "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
class_names[y_train[0]]

model = keras.models.Sequential()
model.add(keras.layers.Flatten(input_shape=[28, 28]))
model.add(keras.layers.Dense(300, activation="relu"))
model.add(keras.layers.Dense(100, activation="relu"))
model.add(keras.layers.Dense(10, activation="softmax"))

keras.backend.clear_session()
np.random.seed(42)

model = keras.models.Sequential([
    keras.layers.Flatten(input_shape=[28, 28]),
    keras.layers.Dense(300, activation="relu"),
    keras.layers.Dense(100, activation="relu"),
    keras.layers.Dense(10, activation="softmax")
])

model.layers
model.summary()
hidden1 = model.layers[1]
hidden1.name
model.get_layer(hidden1.name) is hidden1
weights, biases = hidden1.get_weights()
weights
weights.shape
biases
biases.shape

model.compile(loss="sparse_categorical_crossentropy",
              optimizer="sgd",
              metrics=["accuracy"])

history = model.fit(X_train, y_train, epochs=2,
                    validation_data=(X_valid, y_valid))
history.params
print(history.epoch)
history.history.keys()

pd.DataFrame(history.history).plot(figsize=(8, 5))
plt.grid(True)
plt.gca().set_ylim(0, 1)
plt.show()

model.evaluate(X_test, y_test)

X_new = X_test[:3]
y_proba = model.predict(X_new)
y_proba.round(2)

y_pred = model.predict_classes(X_new)
y_pred
np.array(class_names)[y_pred]
y_new = y_test[:3]
y_new
