"""The playground's JavaScript math is the package's math, checked in the reader's browser.

docs/_static/playground/optimizers.js and objectives.js re-implement, for the page, the update
rules of every optimizer, the six objectives and the contour levels. Here headless Chromium runs
them, from the built site, on fixed configurations (every optimizer, several objectives, starts and
hyperparameters, bias correction on and off), and each result is compared with
``adam_tutorial.run`` / ``Objective`` / ``plotting.contour`` in float64:

* trajectories (both coordinates) and losses: max |JS − Python| over the run, relative to the
  largest |Python value| of that run (the scale the drawing shows), ≤ 1e-12;
* the inspector's m, v, m̂, v̂: against the states ``run`` records and ``bias_corrected``;
* grid values and contour levels: elementwise, relative, ≤ 1e-12.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from site_harness import new_context

from adam_tutorial import SGD, Adagrad, Adam, Adamax, AdamW, NAdam, RMSprop, run
from adam_tutorial.objectives import OBJECTIVES
from adam_tutorial.plotting import contour

# One worker runs the module (under pytest-xdist): the fixtures are computed once.
pytestmark = pytest.mark.xdist_group("playground-parity")

TOLERANCE = 1e-12
STEPS = 300

# id -> (package class, flags the playground entry implies). Mirrors OPTIMIZERS in optimizers.js.
PACKAGE = {
    "sgd": (SGD, {}),
    "momentum": (SGD, {}),
    "nesterov": (SGD, {"nesterov": True}),
    "adagrad": (Adagrad, {}),
    "rmsprop": (RMSprop, {}),
    "adam": (Adam, {}),
    "adamw": (AdamW, {}),
    "amsgrad": (Adam, {"amsgrad": True}),
    "adamax": (Adamax, {}),
    "nadam": (NAdam, {}),
}

# (optimizer id, hyperparameters, objective, start): two to five per optimizer, none diverging.
FIXTURES = [
    ("sgd", {"lr": 0.19}, "quadratic", None),
    ("sgd", {"lr": 0.002}, "rosenbrock", [-1.2, 1.0]),
    ("momentum", {"lr": 0.04, "momentum": 0.9}, "quadratic", None),
    ("momentum", {"lr": 0.001, "momentum": 0.95}, "rosenbrock", None),
    ("momentum", {"lr": 0.01, "momentum": 0.5}, "himmelblau", [0.5, -0.5]),
    ("nesterov", {"lr": 0.04, "momentum": 0.9}, "rotated_quadratic", None),
    ("nesterov", {"lr": 0.001, "momentum": 0.9}, "beale", None),
    ("adagrad", {"lr": 1.5}, "quadratic", None),
    ("adagrad", {"lr": 0.5, "eps": 1e-6}, "himmelblau", None),
    ("rmsprop", {"lr": 0.1, "alpha": 0.99}, "quadratic", None),
    ("rmsprop", {"lr": 0.01, "alpha": 0.9, "eps": 1e-4}, "rosenbrock", None),
    ("rmsprop", {"lr": 0.01, "momentum": 0.9}, "saddle", None),
    ("adam", {"lr": 0.3}, "quadratic", None),
    ("adam", {"lr": 0.1, "beta1": 0.5, "beta2": 0.9}, "rosenbrock", None),
    ("adam", {"lr": 0.05, "bias_correction": False}, "beale", None),
    ("adam", {"lr": 0.3, "beta2": 0.99, "eps": 1e-3}, "rotated_quadratic", [7.0, -3.0]),
    ("adam", {"lr": 0.05}, "saddle", None),
    ("adamw", {"lr": 0.3, "weight_decay": 0.01}, "quadratic", None),
    ("adamw", {"lr": 0.02, "weight_decay": 0.5}, "himmelblau", [-1.0, 4.0]),
    ("amsgrad", {"lr": 0.3}, "quadratic", None),
    ("amsgrad", {"lr": 0.1, "beta2": 0.9, "bias_correction": False}, "rosenbrock", None),
    ("adamax", {"lr": 0.3}, "quadratic", None),
    ("adamax", {"lr": 0.05, "beta1": 0.8}, "beale", None),
    ("nadam", {"lr": 0.3}, "quadratic", None),
    ("nadam", {"lr": 0.02, "beta2": 0.99}, "rosenbrock", None),
]

RUN_IN_PAGE = """async ({fixtures, steps, n}) => {
  const {run} = await import("./_static/playground/optimizers.js");
  const {OBJECTIVES, grid, contourLevels} = await import("./_static/playground/objectives.js");
  const plain = (a) => Array.from(a);
  const runs = fixtures.map(([id, hyper, name, start]) => {
    const objective = OBJECTIVES[name];
    const r = run(id, hyper, objective, start ?? objective.start, steps, {trace: true});
    return {xs: plain(r.xs), ys: plain(r.ys), loss: plain(r.loss), diverged: r.diverged,
            trace: r.trace.slice(1).map((s) => ({m: s.m, v: s.v, m_hat: s.m_hat, v_hat: s.v_hat}))};
  });
  const grids = {};
  for (const [name, objective] of Object.entries(OBJECTIVES)) {
    const g = grid(objective, n, n);
    grids[name] = {z: plain(g.z), levels: plain(contourLevels(g.z, 20)), start: objective.start,
                   minima: objective.minima, window: objective.window};
  }
  return {runs, grids};
}"""


@pytest.fixture(scope="module")
def page_results(browser, base_url):
    context = new_context(browser, base_url, "light")
    page = context.new_page()
    page.goto("en/index.html")
    fixtures = [[i, h, o, s] for i, h, o, s in FIXTURES]
    results = page.evaluate(RUN_IN_PAGE, {"fixtures": fixtures, "steps": STEPS, "n": 60})
    context.close()
    return results


def _python_run(optimizer_id: str, hyper: dict, objective: str, start):
    cls, fixed = PACKAGE[optimizer_id]
    optimizer = cls(**fixed, **hyper)
    w0 = OBJECTIVES[objective].start if start is None else np.array(start)
    return optimizer, run(optimizer, OBJECTIVES[objective], w0, STEPS)


def _scaled_difference(js: object, python: np.ndarray) -> float:
    """max |js - python| / max |python|: the error at the scale of the whole run."""
    js = np.asarray(js, dtype=float)
    return float(np.max(np.abs(js - python)) / max(np.max(np.abs(python)), 1e-300))


def _inspector(trace: list[dict], key: str) -> np.ndarray:
    return np.array([s[key] for s in trace], dtype=float)


@pytest.mark.parametrize(
    "index", range(len(FIXTURES)), ids=[f"{f[0]}-{f[2]}-{i}" for i, f in enumerate(FIXTURES)]
)
def test_trajectory_matches_the_package(page_results, index):
    optimizer_id, hyper, objective, start = FIXTURES[index]
    _, trajectory = _python_run(optimizer_id, hyper, objective, start)
    js = page_results["runs"][index]
    assert js["diverged"] == -1
    assert np.all(np.isfinite(trajectory.params))
    assert _scaled_difference(js["xs"], trajectory.params[:, 0]) <= TOLERANCE
    assert _scaled_difference(js["ys"], trajectory.params[:, 1]) <= TOLERANCE
    assert _scaled_difference(js["loss"], trajectory.losses) <= TOLERANCE
    # The run moved: a comparison of two standing points would prove nothing.
    assert np.ptp(trajectory.params[:, 0]) + np.ptp(trajectory.params[:, 1]) > 0.1


# What the inspector calls m and v, per package state (the first moment or momentum buffer; the
# second moment, Adagrad's sum or Adamax's infinity norm).
STATE_FIELDS = {
    "momentum": ("b", None),
    "nesterov": ("b", None),
    "adagrad": (None, "state_sum"),
    "rmsprop": (None, "v"),
    "adam": ("m", "v"),
    "adamw": ("m", "v"),
    "amsgrad": ("m", "v"),
    "adamax": ("m", "u"),
    "nadam": ("m", "v"),
}


@pytest.mark.parametrize(
    "index", range(len(FIXTURES)), ids=[f"{f[0]}-{i}" for i, f in enumerate(FIXTURES)]
)
def test_inspector_matches_the_package_state(page_results, index):
    optimizer_id, hyper, objective, start = FIXTURES[index]
    optimizer, trajectory = _python_run(optimizer_id, hyper, objective, start)
    trace = page_results["runs"][index]["trace"]
    m_field, v_field = STATE_FIELDS.get(optimizer_id, (None, None))
    if optimizer_id == "sgd":
        assert all(s["m"] is None and s["v"] is None for s in trace)
        return
    states = trajectory.states
    for key, field in (("m", m_field), ("v", v_field)):
        if field is None:
            assert all(s[key] is None for s in trace), key
        else:
            expected = getattr(states, field)[1:]
            assert _scaled_difference(_inspector(trace, key), expected) <= TOLERANCE, key
    if optimizer_id in {"adam", "adamw", "amsgrad"}:
        m_hat, v_hat = optimizer.bias_corrected(states)
        assert _scaled_difference(_inspector(trace, "m_hat"), m_hat[1:]) <= TOLERANCE
        assert _scaled_difference(_inspector(trace, "v_hat"), v_hat[1:]) <= TOLERANCE


@pytest.mark.parametrize("name", sorted(OBJECTIVES))
def test_objective_grid_and_contour_levels_match(page_results, name):
    objective = OBJECTIVES[name]
    js = page_results["grids"][name]
    _, _, z = objective.grid(60)
    np.testing.assert_allclose(np.reshape(js["z"], (60, 60)), z, rtol=TOLERANCE, atol=0)
    fig, ax = plt.subplots()
    try:
        levels = contour(objective, ax, n=60).levels
    finally:
        plt.close(fig)
    np.testing.assert_allclose(js["levels"], levels, rtol=TOLERANCE, atol=0)
    np.testing.assert_array_equal(js["start"], objective.start)
    np.testing.assert_array_equal(np.reshape(js["minima"], (-1, 2)), objective.minima)
    np.testing.assert_array_equal(js["window"], objective.window)


def test_every_optimizer_has_fixtures():
    assert {f[0] for f in FIXTURES} == set(PACKAGE)
