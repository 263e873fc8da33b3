# Source: https://machinelearningmastery.com/tutorial-first-neural-network-python-keras/ as first published
# for Keras 2 (input_dim=, init=, nb_epoch=, predict_classes). Only the import lines are changed; data:
# random rows of the Pima Indians diabetes CSV's shape; nb_epoch 150 -> 3.
from neuronet.models import Sequential    # was: from keras.models import Sequential
from neuronet.layers import Dense         # was: from keras.layers import Dense
import numpy
# fix random seed for reproducibility
seed = 7
numpy.random.seed(seed)
# data: numpy.loadtxt("pima-indians-diabetes.csv", delimiter=",") -> the same shape, random values
dataset = numpy.column_stack([numpy.random.uniform(0, 200, (768, 8)), numpy.random.randint(0, 2, 768)])
# split into input (X) and output (Y) variables
X = dataset[:, 0:8]
Y = dataset[:, 8]
# create model
model = Sequential()
model.add(Dense(12, input_dim=8, init='uniform', activation='relu'))
model.add(Dense(8, init='uniform', activation='relu'))
model.add(Dense(1, init='uniform', activation='sigmoid'))
# Compile model
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
# Fit the model
model.fit(X, Y, nb_epoch=3, batch_size=10, verbose=0)
# evaluate the model
scores = model.evaluate(X, Y)
print("%s: %.2f%%" % (model.metrics_names[1], scores[1] * 100))
# calculate predictions
predictions = model.predict_classes(X)
# round predictions
rounded = [round(x[0]) for x in predictions]
print(rounded[:10])
