# Source: https://machinelearningmastery.com/multi-class-classification-tutorial-keras-deep-learning-library/
# (Multi-Class Classification Tutorial with the Keras Deep Learning Library), as published for Keras 2
# (np_utils, build_fn=, one-hot y in cross_val_score). Only the import lines are changed; data: iris.csv
# written from scikit-learn's copy of the same data; epochs 200 -> 2.
import numpy
import pandas
from neuronet.models import Sequential                          # was: from keras.models import Sequential
from neuronet.layers import Dense                               # was: from keras.layers import Dense
from neuronet.wrappers.scikit_learn import KerasClassifier      # was: from keras.wrappers.scikit_learn import KerasClassifier
from neuronet.utils import np_utils                             # was: from keras.utils import np_utils
from sklearn.model_selection import cross_val_score
from sklearn.model_selection import KFold
from sklearn.preprocessing import LabelEncoder
from sklearn.pipeline import Pipeline

# data: the tutorial's iris.csv (4 measurements and the species name, no header)
from sklearn.datasets import load_iris
_iris = load_iris()
pandas.DataFrame(numpy.column_stack([_iris.data, _iris.target_names[_iris.target]])).to_csv("iris.csv", header=False, index=False)

# fix random seed for reproducibility
seed = 7
numpy.random.seed(seed)
# load dataset
dataframe = pandas.read_csv("iris.csv", header=None)
dataset = dataframe.values
X = dataset[:, 0:4].astype(float)
Y = dataset[:, 4]
# encode class values as integers
encoder = LabelEncoder()
encoder.fit(Y)
encoded_Y = encoder.transform(Y)
# convert integers to dummy variables (i.e. one hot encoded)
dummy_y = np_utils.to_categorical(encoded_Y)


# define baseline model
def baseline_model():
    # create model
    model = Sequential()
    model.add(Dense(8, input_dim=4, activation='relu'))
    model.add(Dense(3, activation='softmax'))
    # Compile model
    model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
    return model


estimator = KerasClassifier(build_fn=baseline_model, epochs=2, batch_size=5, verbose=0)
kfold = KFold(n_splits=10, shuffle=True, random_state=seed)
results = cross_val_score(estimator, X, dummy_y, cv=kfold)
print("Baseline: %.2f%% (%.2f%%)" % (results.mean() * 100, results.std() * 100))
