"""`pipeline.learn.linear`: the same numbers as the scikit-learn calls it replaces."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

from pipeline.learn.linear import linear_proba, normalise_rows


@st.composite
def csr_matrices(draw) -> sparse.csr_matrix:
    rows, cols = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    values = draw(st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0, -3.0, 1e-3]), min_size=rows * cols, max_size=rows * cols))
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    return sparse.csr_matrix(np.array(values, dtype=dtype).reshape(rows, cols))


@pytest.mark.parametrize("norm", ["l1", "l2"])
@given(X=csr_matrices())
def test_normalise_rows_is_normalize(norm: str, X: sparse.csr_matrix) -> None:
    expected = normalize(X.copy(), norm=norm)
    got = normalise_rows(X.copy(), norm)
    assert got.dtype == expected.dtype
    np.testing.assert_allclose(got.toarray(), expected.toarray(), rtol=1e-6)


def test_normalise_rows_refuses_other_norms() -> None:
    with pytest.raises(ValueError, match="'l1' or 'l2'"):
        normalise_rows(sparse.csr_matrix(np.eye(2)), "max")


@pytest.mark.parametrize("n_classes", [2, 3, 4])
@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_linear_proba_is_predict_proba(n_classes: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    X = sparse.csr_matrix(rng.random((40, 7)) * (rng.random((40, 7)) > 0.5))
    y = np.arange(40) % n_classes
    model = LogisticRegression(max_iter=200).fit(X, y)
    np.testing.assert_allclose(linear_proba(model, X), model.predict_proba(X), rtol=1e-9, atol=1e-12)
