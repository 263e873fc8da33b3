# Source: https://machinelearningmastery.com/check-point-deep-learning-models-keras/ (How to Check-Point Deep
# Learning Models in Keras), sections "Checkpoint Neural Network Model Improvements", "Checkpoint Best
# Neural Network Model Only" and "Loading a Check-Pointed Neural Network Model". Only the import lines are
# changed; data: random Pima-shaped rows; epochs 150 -> 3.
from neuronet.models import Sequential              # was: from tensorflow.keras.models import Sequential
from neuronet.layers import Dense                   # was: from tensorflow.keras.layers import Dense
from neuronet.callbacks import ModelCheckpoint      # was: from tensorflow.keras.callbacks import ModelCheckpoint
import matplotlib.pyplot as plt
import numpy as np
import os
# data: np.loadtxt("pima-indians-diabetes.csv", delimiter=",") -> random rows of its shape
_rng = np.random.default_rng(0)
dataset = np.column_stack([_rng.uniform(0, 200, (768, 8)), _rng.integers(0, 2, 768)])
# split into input (X) and output (Y) variables
X = dataset[:, 0:8]
Y = dataset[:, 8]
# create model
model = Sequential()
model.add(Dense(12, input_shape=(8,), activation='relu'))
model.add(Dense(8, activation='relu'))
model.add(Dense(1, activation='sigmoid'))
# Compile model
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
# checkpoint
filepath = "weights-improvement-{epoch:02d}-{val_accuracy:.2f}.hdf5"
checkpoint = ModelCheckpoint(filepath, monitor='val_accuracy', verbose=1, save_best_only=True, mode='max')
callbacks_list = [checkpoint]
# Fit the model
model.fit(X, Y, validation_split=0.33, epochs=3, batch_size=10, callbacks=callbacks_list, verbose=0)
assert any(name.startswith("weights-improvement-01-") for name in os.listdir("."))

# checkpoint
filepath = "weights.best.hdf5"
checkpoint = ModelCheckpoint(filepath, monitor='val_accuracy', verbose=1, save_best_only=True, mode='max')
callbacks_list = [checkpoint]
# Fit the model
model.fit(X, Y, validation_split=0.33, epochs=3, batch_size=10, callbacks=callbacks_list, verbose=0)

# create model
model = Sequential()
model.add(Dense(12, input_shape=(8,), activation='relu'))
model.add(Dense(8, activation='relu'))
model.add(Dense(1, activation='sigmoid'))
# load weights
model.load_weights("weights.best.hdf5")
# Compile model (required to make predictions)
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
print("Created model and loaded weights from file")
# estimate accuracy on whole dataset using loaded weights
scores = model.evaluate(X, Y, verbose=0)
print("%s: %.2f%%" % (model.metrics_names[1], scores[1] * 100))
