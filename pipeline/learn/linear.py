"""A fitted linear model's arithmetic without scikit-learn's per-call checks.

`LogisticRegression.predict_proba` and `sklearn.preprocessing.normalize` validate their
input on every call, which for one document's matrix cost more than the arithmetic.
The matrices here are built by our own counters, so the checks only repeat themselves.
Tests compare each function with the scikit-learn call it replaces."""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.special import expit
from sklearn.linear_model import LogisticRegression
from sklearn.utils.extmath import softmax


def probabilities(decision: np.ndarray) -> np.ndarray:
    """`LogisticRegression.predict_proba` from its decision values: one column is the
    binary case (the positive class's), more are the multinomial one."""
    if decision.shape[1] == 1:
        positive = expit(decision[:, 0])
        return np.column_stack([1.0 - positive, positive])
    return softmax(decision, copy=False)


def linear_proba(model: LogisticRegression, X: np.ndarray | sparse.spmatrix) -> np.ndarray:
    """`model.predict_proba(X)` for a fitted LogisticRegression."""
    decision = X @ model.coef_.T + model.intercept_
    return probabilities(np.asarray(decision, dtype=np.float64))


def normalise_rows(X: sparse.csr_matrix, norm: str) -> sparse.csr_matrix:
    """`normalize(X, norm=norm, copy=False)` for a CSR matrix: each row scaled to unit
    "l2" or "l1" norm in place, empty rows left alone."""
    if norm not in ("l1", "l2"):
        raise ValueError(f"norm must be 'l1' or 'l2', not {norm!r}")
    lengths = np.diff(X.indptr)
    filled = lengths > 0
    if not filled.any():
        return X
    values = np.abs(X.data.astype(np.float64)) if norm == "l1" else X.data.astype(np.float64) ** 2
    totals = np.ones(len(lengths))
    # each filled row's values run from its start to the next filled row's start
    totals[filled] = np.add.reduceat(values, X.indptr[:-1][filled])
    scale = np.sqrt(totals) if norm == "l2" else totals
    scale[scale == 0.0] = 1.0
    # divided in double and stored in the matrix's type, as scikit-learn does
    X.data[:] = X.data / np.repeat(scale, lengths)
    return X
