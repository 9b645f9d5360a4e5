"""The seed notebook (shared/seeds/adam-seed-notebook-ko.md) reproduced by the package."""

from pathlib import Path

import numpy as np

from adam_tutorial import Adam, run
from adam_tutorial.objectives import quadratic

SEED_LINES = (Path(__file__).parent / "data" / "seed_output.txt").read_text().splitlines()


def seed_loop(steps=50):
    """The seed's loop, line for line (its five commented steps)."""
    w = np.array([-10.0, 1.5])
    m, v = np.zeros_like(w), np.zeros_like(w)
    history = [w.copy()]
    for t in range(1, steps + 1):
        grad = np.array([0.2 * w[0], 10 * w[1]])
        m = 0.9 * m + (1 - 0.9) * grad
        v = 0.999 * v + (1 - 0.999) * (grad**2)
        m_hat = m / (1 - 0.9**t)
        v_hat = v / (1 - 0.999**t)
        w = w - 0.3 * m_hat / (np.sqrt(v_hat) + 1e-8)
        history.append(w.copy())
    return np.array(history)


def seed_lines_from(traj):
    m_hat, v_hat = traj.optimizer.bias_corrected(traj.states)
    w = traj.params
    lines = ["--- Adam 최적화 과정 ---"]
    for t in range(5, traj.steps + 1, 5):
        lines.append(
            f"Iter {t:2d}: m_hat=[{m_hat[t, 0]:6.3f}, {m_hat[t, 1]:6.3f}], "
            f"v_hat=[{v_hat[t, 0]:6.3f}, {v_hat[t, 1]:6.3f}], W=[{w[t, 0]:6.3f}, {w[t, 1]:6.3f}]"
        )
    return lines


def test_seed_path_reproduced():
    traj = run(Adam(lr=0.3, beta1=0.9, beta2=0.999, eps=1e-8), quadratic, quadratic.start, 50)
    np.testing.assert_allclose(traj.params, seed_loop(), rtol=1e-13, atol=1e-14)


def test_seed_printed_lines_reproduced_character_for_character():
    traj = run(Adam(lr=0.3), quadratic, np.array([-10.0, 1.5]), 50)
    assert len(SEED_LINES) == 11
    assert seed_lines_from(traj) == SEED_LINES


def test_seed_first_and_last_lines_as_printed():
    assert SEED_LINES[1] == (
        "Iter  5: m_hat=[-1.868,  8.505], v_hat=[ 3.542, 99.872], W=[-8.505,  0.083]"
    )
    assert SEED_LINES[-1].endswith("W=[ 0.240,  0.082]")


def test_seed_loss_falls_by_two_orders_of_magnitude():
    traj = run(Adam(lr=0.3), quadratic, quadratic.start, 50)
    assert traj.losses[0] == 21.25
    assert traj.losses[-1] < traj.losses[0] / 100
