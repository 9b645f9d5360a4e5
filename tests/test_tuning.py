"""adam_tutorial.tuning.best_index: the rule every chapter uses to pick a tuned value."""

from __future__ import annotations

import numpy as np
import pytest

from adam_tutorial import Adam, run
from adam_tutorial.objectives import quadratic
from adam_tutorial.tuning import best_index


def test_lowest_final_loss_wins_and_the_first_of_a_tie():
    assert best_index([0.3, 0.1, 0.2, 0.1], 1.0) == 1


def test_diverged_and_worse_than_start_runs_never_win():
    # nan (overflowed), inf (diverged), 5.0 (above the start of 2.0): the best is 1.5
    assert best_index([np.nan, np.inf, 5.0, 1.5, 1.9], 2.0) == 3
    assert best_index([-np.inf, 1.0], 2.0) == 1  # -inf is not finite either


def test_start_broadcasts_per_setting():
    # run 0 ends at 0.5 but started at 0.4 (it got worse); run 1 improved from 9 to 0.9
    assert best_index([0.5, 0.9], [0.4, 9.0]) == 1


def test_axis_and_seeds():
    rng = np.random.default_rng(0)
    final = rng.uniform(0.1, 1.0, size=(4, 6, 5))  # (problem, lr, seed)
    expected = final.mean(axis=-1).argmin(axis=1)
    np.testing.assert_array_equal(best_index(final, 1.0, axis=1, seeds=2), expected)
    # the seeds axis before the swept axis
    moved = np.moveaxis(final, 2, 0)  # (seed, problem, lr)
    np.testing.assert_array_equal(best_index(moved, 1.0, axis=-1, seeds=0), expected)


def test_one_failed_seed_disqualifies_its_setting():
    final = np.array([[0.2, 0.2], [0.01, np.inf], [0.15, 0.25]])  # (lr, seed)
    assert best_index(final, 1.0, axis=0, seeds=1) == 0  # lr 1 failed once; lr 0 ties lr 2 on mean
    assert best_index(final[:, 0], 1.0) == 1  # one seed alone: lr 1 wins


def test_a_sweep_where_nothing_worked_is_an_error():
    with pytest.raises(ValueError, match="no setting of the sweep worked"):
        best_index([np.nan, np.inf, 3.0], 2.0)
    with pytest.raises(ValueError, match="no setting"):
        best_index(np.array([[0.1, 0.2], [np.inf, np.inf]]), 1.0, axis=1)  # second row


def test_seeds_and_axis_must_differ():
    with pytest.raises(ValueError, match="different axes"):
        best_index(np.ones((2, 3)), 2.0, axis=1, seeds=-1)


def test_picks_the_tuned_learning_rate_of_a_real_sweep():
    lrs = np.geomspace(1e-3, 10, 13)
    with np.errstate(over="ignore", invalid="ignore"):
        sweep = run(Adam(lr=lrs[:, None]), quadratic, np.tile(quadratic.start, (13, 1)), 100)
    final = sweep.losses[-1]
    k = best_index(final, sweep.losses[0])
    assert np.isfinite(final[k])
    assert final[k] == np.min(final[np.isfinite(final)])
    assert 1e-2 < lrs[k] < 10
