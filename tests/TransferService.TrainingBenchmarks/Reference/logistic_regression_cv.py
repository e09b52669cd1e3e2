"""The reference a default head is held to: scikit-learn's LogisticRegressionCV (C from 10 values on a log grid
between 1e-4 and 1e4, chosen by stratified 5-fold cross-validation on the training rows, then refit on all of them)
on the service's own embeddings. Reads train_x.npy, train_y.npy, test_x.npy, test_y.npy from the folder given,
prints one JSON line: test accuracy, macro-F1, the chosen C and the fit time."""
import json
import sys
import time

import numpy as np
from sklearn.linear_model import LogisticRegressionCV
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold

folder = sys.argv[1]
load = lambda name: np.load(f"{folder}/{name}.npy")
train_x, train_y, test_x, test_y = load("train_x"), load("train_y").ravel().astype(int), load("test_x"), load("test_y").ravel().astype(int)
started = time.perf_counter()
model = LogisticRegressionCV(Cs=10, cv=StratifiedKFold(5, shuffle=True, random_state=0), max_iter=3000, n_jobs=1)
model.fit(train_x, train_y)
seconds = time.perf_counter() - started
predicted = model.predict(test_x)
print(json.dumps({
    "accuracy": accuracy_score(test_y, predicted),
    "macro_f1": f1_score(test_y, predicted, average="macro"),
    "c": float(model.C_[0]),
    "seconds": seconds,
}))
