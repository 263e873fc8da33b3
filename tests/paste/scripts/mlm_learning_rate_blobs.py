# Source: https://machinelearningmastery.com/understand-the-dynamics-of-learning-rate-on-deep-learning-neural-networks/
# (Understand the Impact of Learning Rate on Neural Network Performance), section "Effect of Learning Rate
# and Momentum" (Keras 2 spelling: SGD(lr=...), keras.utils.to_categorical). Only the import lines are
# changed; data: scikit-learn's make_blobs as in the post; epochs 200 -> 3, two learning rates of eight.
from sklearn.datasets import make_blobs
from neuronet.layers import Dense               # was: from keras.layers import Dense
from neuronet.models import Sequential          # was: from keras.models import Sequential
from neuronet.optimizers import SGD             # was: from keras.optimizers import SGD
from neuronet.utils import to_categorical       # was: from keras.utils import to_categorical
from matplotlib import pyplot


# prepare train and test dataset
def prepare_data():
    # generate 2d classification dataset
    X, y = make_blobs(n_samples=1000, centers=3, n_features=2, cluster_std=2, random_state=2)
    # one hot encode output variable
    y = to_categorical(y)
    # split into train and test
    n_train = 500
    trainX, testX = X[:n_train, :], X[n_train:, :]
    trainy, testy = y[:n_train], y[n_train:]
    return trainX, trainy, testX, testy


# fit a model and plot learning curve
def fit_model(trainX, trainy, testX, testy, lrate):
    # define model
    model = Sequential()
    model.add(Dense(50, input_dim=2, activation='relu', kernel_initializer='he_uniform'))
    model.add(Dense(3, activation='softmax'))
    # compile model
    opt = SGD(lr=lrate)
    model.compile(loss='categorical_crossentropy', optimizer=opt, metrics=['accuracy'])
    # fit model
    history = model.fit(trainX, trainy, validation_data=(testX, testy), epochs=3, verbose=0)
    # plot learning curves
    pyplot.plot(history.history['accuracy'], label='train')
    pyplot.plot(history.history['val_accuracy'], label='test')
    pyplot.title('lrate=' + str(lrate), pad=-50)


# prepare dataset
trainX, trainy, testX, testy = prepare_data()
# create learning curves for different learning rates
learning_rates = [1E-0, 1E-1]
for i in range(len(learning_rates)):
    # determine the plot number
    plot_no = 420 + (i + 1)
    pyplot.subplot(plot_no)
    # fit model and plot learning curves for a learning rate
    fit_model(trainX, trainy, testX, testy, learning_rates[i])
# show learning curves on the plot
pyplot.show()
