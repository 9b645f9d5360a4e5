"""Objectives: analytic gradients agree with finite differences; minima are minima."""

import dataclasses

import numpy as np
import pytest

from adam_tutorial.objectives import OBJECTIVES, beale, himmelblau, quadratic, rosenbrock, saddle

objectives = pytest.mark.parametrize("f", OBJECTIVES.values(), ids=OBJECTIVES.keys())


def finite_difference(f, w, h=1e-6):
    g = np.zeros_like(w)
    for i in range(2):
        e = np.zeros(2)
        e[i] = h
        g[..., i] = (f(w + e) - f(w - e)) / (2 * h)
    return g


@objectives
def test_gradient_matches_central_differences(f):
    rng = np.random.default_rng(0)
    (x0, x1), (y0, y1) = f.window
    w = np.stack([rng.uniform(x0, x1, 200), rng.uniform(y0, y1, 200)], axis=-1)
    numeric = finite_difference(f, w)
    np.testing.assert_allclose(f.grad(w), numeric, rtol=1e-6, atol=1e-4)


@objectives
def test_minima_are_stationary_and_lowest_nearby(f):
    rng = np.random.default_rng(1)
    for w_star in f.minima:
        np.testing.assert_allclose(f.grad(w_star), 0.0, atol=1e-9)
        around = w_star + rng.normal(scale=1e-2, size=(500, 2))
        assert np.all(f(around) > f(w_star))


@objectives
def test_vectorized_over_leading_axes(f):
    w = np.stack(np.meshgrid(np.linspace(-1, 1, 4), np.linspace(-1, 1, 3)), axis=-1)
    assert w.shape == (3, 4, 2)
    assert f(w).shape == (3, 4)
    assert f.grad(w).shape == (3, 4, 2)
    for i, j in np.ndindex(3, 4):
        assert f(w[i, j]) == f(w)[i, j]
        np.testing.assert_array_equal(f.grad(w[i, j]), f.grad(w)[i, j])


@objectives
def test_grad_keeps_float32(f):
    w = np.array([0.5, -0.25], dtype=np.float32)
    assert f.grad(w).dtype == np.float32


@objectives
def test_window_contains_start_and_minima(f):
    (x0, x1), (y0, y1) = f.window
    for x, y in [f.start, *f.minima]:
        assert x0 <= x <= x1
        assert y0 <= y <= y1


@objectives
def test_minima_and_start_are_read_only(f):
    for array in (f.minima, f.start):
        assert not array.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            array[...] = 5.0


def test_objective_copies_the_arrays_it_is_given():
    start = np.array([1.0, 2.0])
    f = dataclasses.replace(quadratic, start=start)
    assert start.flags.writeable
    start[0] = 9.0
    np.testing.assert_array_equal(f.start, [1.0, 2.0])


def test_known_values():
    assert quadratic(np.array([-10.0, 1.5])) == 21.25
    assert rosenbrock(np.array([0.0, 0.0])) == 1.0
    assert beale(np.array([3.0, 0.5])) == 0.0
    assert saddle(np.array([1.0, 2.0])) == -3.0
    np.testing.assert_allclose(himmelblau(himmelblau.minima), 0.0, atol=1e-20)
    assert saddle.minima.shape == (0, 2)
    np.testing.assert_array_equal(saddle.grad(np.zeros(2)), [0.0, 0.0])


def test_point_without_xy_axis_rejected():
    with pytest.raises(ValueError, match=r"last axis of length 2"):
        quadratic(np.zeros(3))
