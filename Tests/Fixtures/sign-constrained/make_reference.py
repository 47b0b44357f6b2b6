"""The reference for the sign-constrained logistic fit (LogisticRegression.fitNonNegative).

Writes design.csv (an intercept and three columns; the middle one nearly duplicates the first, so its unconstrained
coefficient comes out negative) and prints the minimiser of

    f(beta) = sum_i log(1 + exp(x_i beta)) - y_i x_i beta + (lam / 2) * sum_{j >= 1} beta_j^2,   beta_1..3 >= 0,

found by scipy.optimize.minimize (L-BFGS-B with the bounds, analytic gradient, tolerances at rounding level),
for lam = 0 and lam = 1, with the unconstrained optimum for comparison. The figures are written into
Tests/FittingTests/SignConstrainedFitTests.swift as literals. Needs numpy and scipy (run with numpy 2.4.6,
scipy 1.17.1).
"""
import numpy as np
from scipy.optimize import minimize

rng = np.random.default_rng(2026)
n = 500
a = rng.normal(size=n)
b = a + 0.3 * rng.normal(size=n)
c = rng.normal(size=n)
eta = -0.5 + 1.2 * a - 0.4 * b + 0.6 * c
y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
X = np.column_stack([np.ones(n), a, b, c])
with open("design.csv", "w") as f:
    f.write("a,b,c,y\n")
    for i in range(n):
        f.write(f"{float(a[i])!r},{float(b[i])!r},{float(c[i])!r},{int(y[i])}\n")


def objective(beta, lam):
    z = X @ beta
    loss = np.sum(np.logaddexp(0, z) - y * z) + 0.5 * lam * np.sum(beta[1:] ** 2)
    mu = 1 / (1 + np.exp(-z))
    grad = X.T @ (mu - y)
    grad[1:] += lam * beta[1:]
    return loss, grad


for lam in (0.0, 1.0):
    free = minimize(objective, np.zeros(4), args=(lam,), jac=True, method="BFGS", options={"gtol": 1e-12})
    bounded = minimize(objective, np.full(4, 0.1), args=(lam,), jac=True, method="L-BFGS-B",
                       bounds=[(None, None), (0, None), (0, None), (0, None)],
                       options={"ftol": 1e-16, "gtol": 1e-12, "maxiter": 10000, "maxcor": 50})
    print(f"lambda {lam}: unconstrained {list(free.x)} objective {free.fun!r}")
    print(f"lambda {lam}: constrained   {list(bounded.x)} objective {bounded.fun!r} gradient {list(bounded.jac)}")

# scorecard.csv: for the command line (FitRealFilesTests): b nearly duplicates a and lowers the risk once a is known,
# so a scorecard's WOE coefficient of b comes out negative unless constrained.
rng = np.random.default_rng(7)
n = 1000
a = rng.normal(size=n); b = a + 0.5 * rng.normal(size=n); c = rng.normal(size=n)
eta = -1 + 2.0 * a - 1.2 * b + 0.5 * c
y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
with open("scorecard.csv", "w") as f:
    f.write("id,a,b,c,bad\n")
    for i in range(n):
        f.write(f"{i},{a[i]:.4f},{b[i]:.4f},{c[i]:.4f},{y[i]}\n")
