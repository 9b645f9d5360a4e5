// The update rules of adam_tutorial's optimizers, for the playground.
//
// Each `*Step` function is the package's `step` (src/adam_tutorial/optimizers/*.py) for one
// coordinate, line by line, with the same names; `run` is adam_tutorial.run for a 2-D objective.
// The numbers are float64 as in NumPy, and every formula keeps the package's order of operations,
// so trajectories agree with the package's to ~1e-15 (tests/browser/test_playground_parity.py
// checks ≤ 1e-12 relative). A coordinate's state is a plain object; the step returns the new
// parameter and the new state and modifies nothing.

// ---- SGD (sgd.py): plain, heavy-ball momentum, Nesterov ------------------------------------
function sgdStep(param, grad, state, t, { lr, momentum = 0, dampening = 0, weight_decay = 0, nesterov = false }) {
  if (weight_decay !== 0) grad = grad + weight_decay * param;
  let b = state.b;
  if (momentum !== 0) {
    b = t === 1 ? grad : momentum * state.b + (1 - dampening) * grad;
    grad = nesterov ? grad + momentum * b : b;
  }
  param = param - lr * grad;
  return [param, { b }];
}

// ---- Adagrad (adagrad.py) ------------------------------------------------------------------
function adagradStep(param, grad, state, t, { lr, lr_decay = 0, weight_decay = 0, eps = 1e-10 }) {
  if (weight_decay !== 0) grad = grad + weight_decay * param;
  const clr = lr / (1 + (t - 1) * lr_decay);
  const state_sum = state.state_sum + grad ** 2;
  param = param - (clr * grad) / (Math.sqrt(state_sum) + eps);
  return [param, { state_sum }];
}

// ---- RMSprop (rmsprop.py), not centered ----------------------------------------------------
function rmspropStep(param, grad, state, t, { lr, alpha = 0.99, eps = 1e-8, weight_decay = 0, momentum = 0 }) {
  if (weight_decay !== 0) grad = grad + weight_decay * param;
  const v = alpha * state.v + (1 - alpha) * grad ** 2;
  const denom = Math.sqrt(v) + eps;
  let b = state.b;
  if (momentum !== 0) {
    b = momentum * state.b + grad / denom;
    param = param - lr * b;
  } else {
    param = param - (lr * grad) / denom;
  }
  return [param, { v, b }];
}

// ---- Adam, AdamW, AMSGrad (adam.py: adam_update) -------------------------------------------
function adamStep(param, grad, state, t, h) {
  const { lr, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0 } = h;
  const { amsgrad = false, decoupled = false, bias_correction = true } = h;
  if (decoupled) {
    param = param * (1 - lr * weight_decay); // AdamW: shrink the weights first
  } else if (weight_decay !== 0) {
    grad = grad + weight_decay * param; // Adam: L2 penalty through the gradient
  }
  const m = beta1 * state.m + (1 - beta1) * grad;
  const v = beta2 * state.v + (1 - beta2) * grad ** 2;
  const v_max = amsgrad ? Math.max(state.v_max, v) : null;
  let m_hat, v_hat;
  if (bias_correction) {
    m_hat = m / (1 - beta1 ** t);
    v_hat = (amsgrad ? v_max : v) / (1 - beta2 ** t);
  } else {
    m_hat = m; // an ablation for study: the raw averages
    v_hat = amsgrad ? v_max : v;
  }
  param = param - (lr * m_hat) / (Math.sqrt(v_hat) + eps);
  return [param, { m, v, v_max, m_hat, v_hat }];
}

// ---- Adamax (adamax.py) --------------------------------------------------------------------
function adamaxStep(param, grad, state, t, { lr, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0 }) {
  if (weight_decay !== 0) grad = grad + weight_decay * param;
  const m = beta1 * state.m + (1 - beta1) * grad;
  const u = Math.max(beta2 * state.u, Math.abs(grad) + eps);
  param = param - ((lr / (1 - beta1 ** t)) * m) / u;
  return [param, { m, u, m_hat: m / (1 - beta1 ** t) }];
}

// ---- NAdam (nadam.py), coupled weight decay ------------------------------------------------
function nadamStep(param, grad, state, t, h) {
  const { lr, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0, momentum_decay: psi = 4e-3 } = h;
  if (weight_decay !== 0) grad = grad + weight_decay * param;
  const mu = beta1 * (1 - 0.5 * 0.96 ** (t * psi));
  const mu_next = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi));
  const mu_product = state.mu_product * mu;
  const m = beta1 * state.m + (1 - beta1) * grad;
  const v = beta2 * state.v + (1 - beta2) * grad ** 2;
  const v_hat = v / (1 - beta2 ** t);
  const denom = Math.sqrt(v_hat) + eps;
  param =
    param -
    (((lr * (1 - mu)) / (1 - mu_product)) * grad) / denom -
    (((lr * mu_next) / (1 - mu_product * mu_next)) * m) / denom;
  return [param, { m, v, mu_product, v_hat }];
}

// A coordinate's state before the first step, as each class's `init` makes it (momentum buffers
// exist only when momentum is used; NAdam's product of the μ_t starts at 1).
const INIT = {
  sgd: () => ({ b: null }),
  adagrad: () => ({ state_sum: 0 }),
  rmsprop: (h) => ({ v: 0, b: h.momentum ? 0 : null }),
  adam: () => ({ m: 0, v: 0, v_max: 0 }),
  adamax: () => ({ m: 0, u: 0 }),
  nadam: () => ({ m: 0, v: 0, mu_product: 1 }),
};

// Which state the inspector shows as m (a first moment, or SGD's momentum buffer) and as v
// (a second moment, Adagrad's sum of squares, Adamax's infinity norm u).
const SHOWN = {
  sgd: { m: "b" },
  adagrad: { v: "state_sum" },
  rmsprop: { v: "v" },
  adam: { m: "m", v: "v", m_hat: "m_hat", v_hat: "v_hat" },
  adamax: { m: "m", v: "u", m_hat: "m_hat" },
  nadam: { m: "m", v: "v", v_hat: "v_hat" },
};

const RULES = { sgd: sgdStep, adagrad: adagradStep, rmsprop: rmspropStep, adam: adamStep, adamax: adamaxStep, nadam: nadamStep };

/**
 * The playground's optimizers, in menu order. `python` is the package class, `fixed` the flags
 * the entry implies, `hyper` the sliders it uses (the package's parameter names) and `defaults`
 * the playground's starting values.
 */
export const OPTIMIZERS = Object.fromEntries(
  [
    ["sgd", "SGD", "sgd", {}, { lr: 0.19 }],
    ["momentum", "SGD", "sgd", {}, { lr: 0.04, momentum: 0.9 }],
    ["nesterov", "SGD", "sgd", { nesterov: true }, { lr: 0.04, momentum: 0.9 }],
    ["adagrad", "Adagrad", "adagrad", {}, { lr: 1.5, eps: 1e-10 }],
    ["rmsprop", "RMSprop", "rmsprop", {}, { lr: 0.1, alpha: 0.99, eps: 1e-8 }],
    ["adam", "Adam", "adam", {}, { lr: 0.3, beta1: 0.9, beta2: 0.999, eps: 1e-8, bias_correction: true }],
    ["adamw", "AdamW", "adam", { decoupled: true }, { lr: 0.3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.01, bias_correction: true }],
    ["amsgrad", "Adam", "adam", { amsgrad: true }, { lr: 0.3, beta1: 0.9, beta2: 0.999, eps: 1e-8, bias_correction: true }],
    ["adamax", "Adamax", "adamax", {}, { lr: 0.3, beta1: 0.9, beta2: 0.999, eps: 1e-8 }],
    ["nadam", "NAdam", "nadam", {}, { lr: 0.3, beta1: 0.9, beta2: 0.999, eps: 1e-8 }],
  ].map(([id, python, rule, fixed, defaults]) => [
    id,
    Object.freeze({ id, python, rule, fixed: Object.freeze(fixed), hyper: Object.keys(defaults), defaults: Object.freeze(defaults) }),
  ]),
);

// The inspector's m, v, m̂, v̂ of a step: [x, y] pairs, or null where the optimizer has none.
function inspect(rule, sx, sy) {
  const shown = SHOWN[rule];
  const pick = (key) => (shown[key] && sx[shown[key]] !== null ? [sx[shown[key]], sy[shown[key]]] : null);
  return { m: pick("m"), v: pick("v"), m_hat: pick("m_hat"), v_hat: pick("v_hat") };
}

/**
 * adam_tutorial.run(Optimizer(**fixed, **hyper), objective, start, steps) for one 2-D start:
 * xs, ys and loss are the trajectory's params[:, 0], params[:, 1] and losses. With
 * `trace: true`, also every step's gradient, averages and update, for the inspector.
 * The drawing stops where the run diverges: from the first non-finite point on, NaN.
 */
export function run(id, hyper, objective, start, steps, { trace = false } = {}) {
  const optimizer = OPTIMIZERS[id];
  if (!optimizer) throw new Error(`unknown optimizer ${id}`);
  const h = { ...optimizer.defaults, ...hyper, ...optimizer.fixed };
  const xs = new Float64Array(steps + 1).fill(NaN);
  const ys = new Float64Array(steps + 1).fill(NaN);
  const loss = new Float64Array(steps + 1).fill(NaN);
  let [x, y] = start;
  const step = RULES[optimizer.rule];
  let state = [INIT[optimizer.rule](h), INIT[optimizer.rule](h)];
  xs[0] = x;
  ys[0] = y;
  loss[0] = objective.value(x, y);
  const records = trace ? [{ t: 0, w: [x, y], g: null, m: null, v: null, m_hat: null, v_hat: null, update: null }] : null;
  let diverged = Number.isFinite(x) && Number.isFinite(y) ? -1 : 0;
  for (let t = 1; t <= steps && diverged < 0; t++) {
    const [gx, gy] = objective.gradient(x, y);
    const [nx, sx] = step(x, gx, state[0], t, h);
    const [ny, sy] = step(y, gy, state[1], t, h);
    if (trace) {
      records.push({ t, w: [nx, ny], g: [gx, gy], ...inspect(optimizer.rule, sx, sy), update: [nx - x, ny - y] });
    }
    [x, y, state] = [nx, ny, [sx, sy]];
    if (!(Number.isFinite(x) && Number.isFinite(y))) {
      diverged = t;
      break;
    }
    xs[t] = x;
    ys[t] = y;
    loss[t] = objective.value(x, y);
  }
  return trace ? { xs, ys, loss, diverged, trace: records } : { xs, ys, loss, diverged };
}
