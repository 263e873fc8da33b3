# Source: https://machinelearningmastery.com/save-load-keras-deep-learning-models/ (How to Save and Load Your
# Keras Deep Learning Model), sections "Save Your Neural Network Model to JSON" and "Save Model Weights and
# Architecture Together". Only the import lines are changed; data: random Pima-shaped rows; epochs 150 -> 2.
from neuronet.models import Sequential, model_from_json    # was: from tensorflow.keras.models import Sequential, model_from_json
from neuronet.layers import Dense               # was: from tensorflow.keras.layers import Dense
from neuronet.models import load_model          # was: from tensorflow.keras.models import load_model
import numpy
import os
# fix random seed for reproducibility
numpy.random.seed(7)
# data: numpy.loadtxt("pima-indians-diabetes.csv", delimiter=",") -> random rows of its shape
dataset = numpy.column_stack([numpy.random.uniform(0, 200, (768, 8)), numpy.random.randint(0, 2, 768)])
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
model.fit(X, Y, epochs=2, batch_size=10, verbose=0)
# evaluate the model
scores = model.evaluate(X, Y, verbose=0)
print("%s: %.2f%%" % (model.metrics_names[1], scores[1] * 100))

# serialize model to JSON
model_json = model.to_json()
with open("model.json", "w") as json_file:
    json_file.write(model_json)
# serialize weights to HDF5
model.save_weights("model.h5")
print("Saved model to disk")

# later...

# load json and create model
json_file = open('model.json', 'r')
loaded_model_json = json_file.read()
json_file.close()
loaded_model = model_from_json(loaded_model_json)
# load weights into new model
loaded_model.load_weights("model.h5")
print("Loaded model from disk")

# evaluate loaded model on test data
loaded_model.compile(loss='binary_crossentropy', optimizer='rmsprop', metrics=['accuracy'])
score = loaded_model.evaluate(X, Y, verbose=0)
print("%s: %.2f%%" % (loaded_model.metrics_names[1], score[1] * 100))
assert score[1] == scores[1]

# save model and architecture to single file
model.save("model.h5")
print("Saved model to disk")
# load model
model = load_model('model.h5')
# summarize model.
model.summary()
# evaluate the model
score = model.evaluate(X, Y, verbose=0)
print("%s: %.2f%%" % (model.metrics_names[1], score[1] * 100))
