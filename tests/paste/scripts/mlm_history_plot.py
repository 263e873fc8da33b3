# Source: https://machinelearningmastery.com/display-deep-learning-model-training-history-in-keras/
# (Display Deep Learning Model Training History in Keras). Only the import lines are changed; data: random
# Pima-shaped rows; epochs 150 -> 3.
# Visualize training history
from neuronet.models import Sequential          # was: from tensorflow.keras.models import Sequential
from neuronet.layers import Dense               # was: from tensorflow.keras.layers import Dense
import matplotlib.pyplot as plt
import numpy as np
# data: np.loadtxt("pima-indians-diabetes.csv", delimiter=",") -> random rows of its shape
_rng = np.random.default_rng(0)
dataset = np.column_stack([_rng.uniform(0, 200, (768, 8)), _rng.integers(0, 2, 768)])
# split into input (X) and output (Y) variables
X = dataset[:, 0:8]
Y = dataset[:, 8]
# create model
model = Sequential()
model.add(Dense(12, input_dim=8, activation='relu'))
model.add(Dense(8, activation='relu'))
model.add(Dense(1, activation='sigmoid'))
# Compile model
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
# Fit the model
history = model.fit(X, Y, validation_split=0.33, epochs=3, batch_size=10, verbose=0)
# list all data in history
print(history.history.keys())
# summarize history for accuracy
plt.plot(history.history['accuracy'])
plt.plot(history.history['val_accuracy'])
plt.title('model accuracy')
plt.ylabel('accuracy')
plt.xlabel('epoch')
plt.legend(['train', 'test'], loc='upper left')
plt.show()
# summarize history for loss
plt.plot(history.history['loss'])
plt.plot(history.history['val_loss'])
plt.title('model loss')
plt.ylabel('loss')
plt.xlabel('epoch')
plt.legend(['train', 'test'], loc='upper left')
plt.show()
