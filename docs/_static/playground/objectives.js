// The six test functions of adam_tutorial.objectives, for the playground.
// Each expression is the Python one (src/adam_tutorial/objectives.py) written in JavaScript with
// the same order of operations, so values agree to the last bit or two (tests/browser/
// test_playground_parity.py compares them with the package's).

const R = Math.sqrt(0.5); // cos 45° = sin 45°

function bealeTerms(x, y) {
  return [1.5 - x + x * y, 2.25 - x + x * y ** 2, 2.625 - x + x * y ** 3];
}

export const OBJECTIVES = {
  quadratic: {
    name: "quadratic",
    formula: "f(x, y) = 0.1x^2 + 5y^2",
    value: (x, y) => 0.1 * x ** 2 + 5 * y ** 2,
    gradient: (x, y) => [0.2 * x, 10 * y],
    minima: [[0.0, 0.0]],
    window: [[-12.0, 12.0], [-2.0, 2.0]],
    start: [-10.0, 1.5],
  },
  rotated_quadratic: {
    name: "rotated_quadratic",
    formula: "f(x, y) = 0.05(x + y)^2 + 2.5(y - x)^2",
    value: (x, y) => 0.05 * (x + y) ** 2 + 2.5 * (y - x) ** 2,
    gradient: (x, y) => [0.1 * (x + y) - 5 * (y - x), 0.1 * (x + y) + 5 * (y - x)],
    minima: [[0.0, 0.0]],
    window: [[-11.0, 11.0], [-11.0, 11.0]],
    start: [R * (-10.0 - 1.5), R * (-10.0 + 1.5)],
  },
  rosenbrock: {
    name: "rosenbrock",
    formula: "f(x, y) = (1 - x)^2 + 100\\,(y - x^2)^2",
    value: (x, y) => (1 - x) ** 2 + 100 * (y - x ** 2) ** 2,
    gradient: (x, y) => [-2 * (1 - x) - 400 * x * (y - x ** 2), 200 * (y - x ** 2)],
    minima: [[1.0, 1.0]],
    window: [[-2.0, 2.0], [-1.0, 3.0]],
    start: [-1.5, 2.0],
  },
  beale: {
    name: "beale",
    formula: "f(x, y) = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2",
    value: (x, y) => {
      const [a, b, c] = bealeTerms(x, y);
      return a ** 2 + b ** 2 + c ** 2;
    },
    gradient: (x, y) => {
      const [a, b, c] = bealeTerms(x, y);
      const dx = 2 * a * (y - 1) + 2 * b * (y ** 2 - 1) + 2 * c * (y ** 3 - 1);
      const dy = 2 * a * x + 2 * b * 2 * x * y + 2 * c * 3 * x * y ** 2;
      return [dx, dy];
    },
    minima: [[3.0, 0.5]],
    window: [[-4.5, 4.5], [-4.5, 4.5]],
    start: [1.0, 1.5],
  },
  saddle: {
    name: "saddle",
    formula: "f(x, y) = x^2 - y^2",
    value: (x, y) => x ** 2 - y ** 2,
    gradient: (x, y) => [2 * x, -2 * y],
    minima: [],
    window: [[-2.0, 2.0], [-2.0, 2.0]],
    start: [-1.5, 1e-3],
  },
  himmelblau: {
    name: "himmelblau",
    formula: "f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2",
    value: (x, y) => (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2,
    gradient: (x, y) => [
      4 * x * (x ** 2 + y - 11) + 2 * (x + y ** 2 - 7),
      2 * (x ** 2 + y - 11) + 4 * y * (x + y ** 2 - 7),
    ],
    minima: [
      [3.0, 2.0],
      [-2.805118086952745, 3.131312518250573],
      [-3.779310253377747, -3.28318599128617],
      [3.584428340330492, -1.848126526964404],
    ],
    window: [[-5.0, 5.0], [-5.0, 5.0]],
    start: [0.0, 0.0],
  },
};

/** numpy.linspace(start, stop, num): the same formula, endpoints exact. */
export function linspace(start, stop, num) {
  const out = new Float64Array(num);
  const div = num - 1;
  const step = (stop - start) / div;
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  if (num > 1) out[num - 1] = stop;
  return out;
}

/** Objective.grid(n) generalised to nx × ny: z[j * nx + i] = value(xs[i], ys[j]). */
export function grid(objective, nx, ny, window = objective.window) {
  const [[x0, x1], [y0, y1]] = window;
  const xs = linspace(x0, x1, nx);
  const ys = linspace(y0, y1, ny);
  const z = new Float64Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) z[j * nx + i] = objective.value(xs[i], ys[j]);
  }
  return { xs, ys, z };
}

/** numpy.percentile(values, q) with its default linear interpolation. */
function percentile(sorted, q) {
  const index = (q / 100) * (sorted.length - 1);
  const below = Math.floor(index);
  const above = Math.min(below + 1, sorted.length - 1);
  const frac = index - below;
  return sorted[below] + (sorted[above] - sorted[below]) * frac;
}

/** numpy.geomspace(start, stop, num), endpoints exact. */
function geomspace(start, stop, num) {
  const exponents = linspace(Math.log10(start), Math.log10(stop), num);
  const out = exponents.map((e) => 10 ** e);
  out[0] = start;
  out[num - 1] = stop;
  return out;
}

/**
 * The levels adam_tutorial.plotting.contour draws with log=True and an int number of levels:
 * geometrically spaced above the grid's minimum, so a valley's floor shows like its walls.
 */
export function contourLevels(z, n = 20) {
  let min = Infinity;
  for (const value of z) min = Math.min(min, value);
  const shift = Math.min(min, 0.0);
  const positive = Float64Array.from(z, (value) => value - shift).sort();
  const max = positive[positive.length - 1];
  const low = Math.max(percentile(positive, 0.5), 1e-3 * max, 1e-12);
  return geomspace(low, max, n).map((level) => shift + level);
}
