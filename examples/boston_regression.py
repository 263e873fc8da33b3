"""The notes' Keras regression (000_*.txt, "Regression with Keras"): Boston housing, 13-128-64-64-32-1.

Only the imports and the data loading differ from the notes (the notes read the CSV from a URL; neuronet
ships it). Run: python examples/boston_regression.py [--epochs 1000]
"""
import argparse

from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from neuronet.datasets import load_boston
from neuronet.layers import Dense
from neuronet.models import Sequential
from neuronet.optimizers import Adam

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=1000)
parser.add_argument("--verbose", type=int, default=2)
args = parser.parse_args()

X, y = load_boston(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)

scaler = StandardScaler()
scaler.fit(X_train)
X_train = scaler.transform(X_train)
X_test = scaler.transform(X_test)

model = Sequential()
model.add(Dense(128, activation='relu', input_shape=(13,)))
model.add(Dense(64, activation='relu'))
model.add(Dense(64, activation='relu'))
model.add(Dense(32, activation='relu'))
model.add(Dense(1))
model.summary()

model.compile(loss='mse', optimizer=Adam(lr=0.01), metrics=['mae'])
history = model.fit(X_train, y_train, batch_size=64, epochs=args.epochs, validation_split=0.2,
                    verbose=args.verbose)

train_loss, train_mae = model.evaluate(X_train, y_train, verbose=0)
test_loss, test_mae = model.evaluate(X_test, y_test, verbose=0)
print('train loss: {:.3f}\ntest loss: {:.3f}'.format(train_loss, test_loss))
print('train mae: {:.3f}\ntest mae: {:.3f}'.format(train_mae, test_mae))
y_pred = model.predict(X_test)
print(y_pred[:5].ravel())
