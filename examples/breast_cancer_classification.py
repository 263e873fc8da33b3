"""The notes' Keras binary classification (000_*.txt): breast cancer, 30 -> 64-32-1, 'sgd',
binary_crossentropy, batch 64, 300 epochs, validation_split 0.2. Only the imports differ.

Run: python examples/breast_cancer_classification.py
"""
import argparse

from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from neuronet.layers import Dense
from neuronet.models import Sequential

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=300)
parser.add_argument("--verbose", type=int, default=2)
args = parser.parse_args()

breast_cancer = load_breast_cancer()
X_train, X_test, y_train, y_test = train_test_split(breast_cancer.data, breast_cancer.target, random_state=0)

scaler = StandardScaler()
scaler.fit(X_train)
X_train = scaler.transform(X_train)
X_test = scaler.transform(X_test)

model = Sequential()
model.add(Dense(64, activation='relu', input_shape=(30,)))
model.add(Dense(32, activation='relu'))
model.add(Dense(1, activation='sigmoid'))
model.summary()

model.compile(optimizer='sgd', loss='binary_crossentropy', metrics=['acc'])
history = model.fit(X_train, y_train, batch_size=64, epochs=args.epochs, validation_split=0.2,
                    verbose=args.verbose)

train_loss, train_acc = model.evaluate(X_train, y_train, verbose=0)
test_loss, test_acc = model.evaluate(X_test, y_test, verbose=0)
print('train loss: {:.3f}\ntest loss: {:.3f}'.format(train_loss, test_loss))
print('train acc: {:.3f}\ntest acc: {:.3f}'.format(train_acc, test_acc))
y_pred = model.predict(X_test)
print((y_pred[:10] > 0.5).astype(int).ravel())
