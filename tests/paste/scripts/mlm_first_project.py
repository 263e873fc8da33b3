# Source: https://machinelearningmastery.com/tutorial-first-neural-network-python-keras/ (Your First Deep
# Learning Project in Python with Keras Step-by-Step). Only the import lines are changed; data: random rows
# of the Pima Indians diabetes CSV's shape (768 x 9); epochs 150 -> 3.
# first neural network with keras make predictions
from numpy import loadtxt
from neuronet.models import Sequential    # was: from tensorflow.keras.models import Sequential
from neuronet.layers import Dense         # was: from tensorflow.keras.layers import Dense
import numpy as np

# data: the tutorial's pima-indians-diabetes.csv -> a local CSV of the same shape
rng = np.random.default_rng(0)
np.savetxt('pima-indians-diabetes.csv', np.column_stack([rng.uniform(0, 200, (768, 8)).round(1),
                                                         rng.integers(0, 2, 768)]), delimiter=',', fmt='%g')

# load the dataset
dataset = loadtxt('pima-indians-diabetes.csv', delimiter=',')
# split into input (X) and output (y) variables
X = dataset[:, 0:8]
y = dataset[:, 8]
# define the keras model
model = Sequential()
model.add(Dense(12, input_shape=(8,), activation='relu'))
model.add(Dense(8, activation='relu'))
model.add(Dense(1, activation='sigmoid'))
# compile the keras model
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
# fit the keras model on the dataset
model.fit(X, y, epochs=3, batch_size=10, verbose=0)
# evaluate the keras model
_, accuracy = model.evaluate(X, y)
print('Accuracy: %.2f' % (accuracy * 100))
# make class predictions with the model
predictions = (model.predict(X) > 0.5).astype(int)
# summarize the first 5 cases
for i in range(5):
    # changed: predictions[i] -> predictions[i][0]; NumPy 2 refuses '%d' % (a 1-element array), under Keras too
    print('%s => %d (expected %d)' % (X[i].tolist(), predictions[i][0], y[i]))
