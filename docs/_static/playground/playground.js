// The optimizer playground (issue 12): controls, drawing, the URL, the step inspector.
//
// Every <div class="pg"> that docs/_ext/playground.py writes becomes a playground: its
// data-config is the configuration (the format of the playground page's URL hash), its
// data-setup the interface strings in the page's language, the colours and the defaults. The
// math is not here: optimizers.js (the package's update rules) and objectives.js (the test
// functions, the grid and the contour levels of adam_tutorial.plotting.contour).

import { OBJECTIVES, contourLevels, grid } from "./objectives.js";
import { OPTIMIZERS, run } from "./optimizers.js";

const SVG = "http://www.w3.org/2000/svg";
const IDS = Object.keys(OPTIMIZERS);
const SHARED_ORDER = ["beta1", "beta2", "eps", "momentum", "alpha", "weight_decay"];
const BIAS_CORRECTED = ["adam", "adamw", "amsgrad"];
const MAX_STEPS = 500;
const GRID = [97, 65]; // contour grid (x, y)
// Plot geometry in SVG user units: the contour plot and the loss plot.
const C = { w: 480, h: 330, l: 44, r: 8, t: 8, b: 34 };
const L = { w: 340, h: 330, l: 52, r: 16, t: 8, b: 34 };

// --- Scales of the sliders: slider position (integer) <-> value ----------------------------
const log = (lo, hi, n = 400) => ({
  n,
  to: (v) => Math.round(((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * n),
  from: (s) => round3(10 ** (Math.log10(lo) + (s / n) * (Math.log10(hi) - Math.log10(lo)))),
  min: 0,
  max: Infinity,
});
const linear = (lo, hi, step) => ({
  n: Math.round((hi - lo) / step),
  to: (v) => Math.round((v - lo) / step),
  from: (s) => round3(lo + s * step, 6),
  min: lo,
  max: hi,
});
// 1 − β on a log scale, so 0.9, 0.99, 0.999 and 0.9999 are equally far apart.
const oneMinusLog = (lo, hi, n = 400) => {
  const inner = log(1 - hi, 1 - lo, n);
  return {
    n,
    to: (v) => n - inner.to(Math.max(1 - v, 1e-12)),
    from: (s) => round3(1 - inner.from(n - s), 8),
    min: 0,
    max: 1,
  };
};
const SCALES = {
  lr: log(1e-4, 10),
  beta1: linear(0, 0.999, 0.001),
  beta2: oneMinusLog(0.5, 0.99999),
  eps: log(1e-12, 1, 360),
  momentum: linear(0, 0.99, 0.01),
  alpha: oneMinusLog(0.5, 0.9999),
  weight_decay: linear(0, 1, 0.005),
  steps: { n: MAX_STEPS - 1, to: (v) => v - 1, from: (s) => s + 1, min: 1, max: MAX_STEPS },
};
// Valid ranges of the typed values (the package's): [min, max), or closed where noted.
const VALID = {
  lr: [0, Infinity],
  beta1: [0, 1],
  beta2: [0, 1],
  eps: [0, Infinity],
  momentum: [0, 1],
  alpha: [0, 1],
  weight_decay: [0, Infinity],
};

function round3(v, digits = 3) {
  return Number(v.toPrecision(digits));
}

function fmt(v, digits = 4) {
  if (v === null || v === undefined || Number.isNaN(v)) return "—";
  if (v === 0) return "0";
  const a = Math.abs(v);
  const text = a >= 1e-3 && a < 1e5 ? String(Number(v.toPrecision(digits))) : v.toExponential(digits - 1);
  return text.replaceAll("-", "−");
}

// --- The configuration and its text form (the URL hash, data-config) ------------------------
function parseConfig(text, base) {
  const q = new URLSearchParams(text.replace(/^#/, ""));
  const s = structuredClone(base);
  const num = (key) => {
    const v = Number(q.get(key));
    return q.has(key) && q.get(key) !== "" && Number.isFinite(v) ? v : null;
  };
  if (q.has("objective") && OBJECTIVES[q.get("objective")]) {
    s.objective = q.get("objective");
    if (!q.has("start")) s.start = [...OBJECTIVES[s.objective].start];
  }
  if (q.has("opt")) {
    const ids = q.get("opt").split(",").filter((id) => OPTIMIZERS[id]);
    if (ids.length) s.opt = [...new Set(ids)];
  }
  if (q.has("lr")) {
    const values = q.get("lr").split(",").map(Number);
    s.opt.forEach((id, i) => {
      if (Number.isFinite(values[i]) && values[i] >= 0) s.lr[id] = values[i];
    });
  }
  if (q.has("start")) {
    const [x, y] = q.get("start").split(",").map(Number);
    if (Number.isFinite(x) && Number.isFinite(y)) s.start = [x, y];
  }
  const steps = num("steps");
  if (steps !== null) s.steps = Math.min(MAX_STEPS, Math.max(1, Math.round(steps)));
  for (const key of SHARED_ORDER) {
    const v = num(key);
    if (v !== null && v >= VALID[key][0] && v < VALID[key][1]) s.shared[key] = v;
  }
  if (q.has("bc")) s.bc = q.get("bc") !== "0";
  if (q.has("inspect") && OPTIMIZERS[q.get("inspect")]) s.inspect = q.get("inspect");
  const t = num("t");
  if (t !== null) s.t = Math.max(0, Math.round(t));
  if (!s.opt.includes(s.inspect)) s.inspect = s.opt[0];
  s.t = Math.min(s.t, s.steps);
  return s;
}

function configText(s) {
  const pairs = [
    ["objective", s.objective],
    ["opt", s.opt.join(",")],
    ["lr", s.opt.map((id) => s.lr[id]).join(",")],
    ["start", s.start.map((v) => Number(v.toPrecision(6))).join(",")],
    ["steps", s.steps],
    ...SHARED_ORDER.map((key) => [key, s.shared[key]]),
    ["bc", s.bc ? 1 : 0],
    ["inspect", s.inspect],
    ["t", s.t],
  ];
  return pairs.map(([k, v]) => `${k}=${encodeURIComponent(String(v)).replace(/%2C/g, ",")}`).join("&");
}

function hyperOf(s, id) {
  const hyper = { lr: s.lr[id] };
  for (const key of OPTIMIZERS[id].hyper) if (key in s.shared) hyper[key] = s.shared[key];
  if (BIAS_CORRECTED.includes(id)) hyper.bias_correction = s.bc;
  return hyper;
}

// --- Small DOM helpers -------------------------------------------------------------------------
let uid = 0;
const nextId = (stem) => `pg-${stem}-${++uid}`;

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "text") el.textContent = v;
    else if (k === "class") el.className = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  el.append(...children.filter((c) => c !== null && c !== undefined));
  return el;
}

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined) continue;
    if (k === "text") el.textContent = v;
    else el.setAttribute(k, v);
  }
  el.append(...children);
  return el;
}

// --- Contours: marching squares over the objective's grid, levels of plotting.contour ---------
const contourCache = new Map();

function contours(name) {
  if (contourCache.has(name)) return contourCache.get(name);
  const objective = OBJECTIVES[name];
  const [nx, ny] = GRID;
  const { z } = grid(objective, nx, ny);
  const levels = contourLevels(z, 20);
  const paths = [];
  const X = (i) => C.l + (i / (nx - 1)) * (C.w - C.l - C.r);
  const Y = (j) => C.h - C.b - (j / (ny - 1)) * (C.h - C.t - C.b);
  for (const level of levels) {
    let d = "";
    for (let j = 0; j < ny - 1; j++) {
      for (let i = 0; i < nx - 1; i++) {
        const a = z[j * nx + i] - level; // (i, j)
        const b = z[j * nx + i + 1] - level; // (i+1, j)
        const c = z[(j + 1) * nx + i + 1] - level; // (i+1, j+1)
        const e = z[(j + 1) * nx + i] - level; // (i, j+1)
        const pts = [];
        if (a < 0 !== b < 0) pts.push([X(i + a / (a - b)), Y(j)]);
        if (b < 0 !== c < 0) pts.push([X(i + 1), Y(j + b / (b - c))]);
        if (e < 0 !== c < 0) pts.push([X(i + e / (e - c)), Y(j + 1)]);
        if (a < 0 !== e < 0) pts.push([X(i), Y(j + a / (a - e))]);
        for (let k = 0; k + 1 < pts.length; k += 2) {
          d += `M${pts[k][0].toFixed(1)} ${pts[k][1].toFixed(1)}L${pts[k + 1][0].toFixed(1)} ${pts[k + 1][1].toFixed(1)}`;
        }
      }
    }
    paths.push(d);
  }
  contourCache.set(name, paths);
  return paths;
}

function ticks(lo, hi, count = 5) {
  const span = hi - lo;
  const step0 = 10 ** Math.floor(Math.log10(span / count));
  const step = [1, 2, 5, 10].map((m) => m * step0).find((st) => span / st <= count) ?? 10 * step0;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

// --- One playground ----------------------------------------------------------------------------
class Playground {
  constructor(root) {
    this.root = root;
    this.setup = JSON.parse(root.dataset.setup);
    this.compact = root.classList.contains("pg-compact");
    this.full = !this.compact;
    this.labels = this.setup.labels;
    const lr = Object.fromEntries(IDS.map((id) => [id, OPTIMIZERS[id].defaults.lr]));
    const empty = {
      objective: "quadratic",
      opt: ["adam"],
      lr,
      start: [...OBJECTIVES.quadratic.start],
      steps: 100,
      shared: { ...this.setup.shared },
      bc: true,
      inspect: "adam",
      t: 1,
    };
    this.preset = parseConfig(root.dataset.config, empty);
    this.state = structuredClone(this.preset);
    if (this.full && location.hash.length > 1) this.state = parseConfig(location.hash, this.preset);
    this.runs = new Map();
    this.pending = 0;
    this.controls = {};
    this.build();
    this.applyColours();
    new MutationObserver(() => this.applyColours()).observe(document.documentElement, {
      attributes: true,
      attributeFilter: ["data-theme"],
    });
    if (this.full) {
      addEventListener("hashchange", () => {
        if (location.hash.slice(1) === this.lastHash) return;
        this.state = parseConfig(location.hash, this.preset);
        this.sync();
        this.render();
      });
    }
    this.sync();
    this.render();
    root.classList.add("pg-ready");
    root.playground = this; // for the tests and the redraw benchmark
  }

  // ---- building the interface ----
  build() {
    const L_ = this.labels;
    this.root.replaceChildren();
    const plots = h("div", { class: "pg-plots" });
    this.buildContour(plots);
    this.buildLoss(plots);
    this.legend = h("ul", { class: "pg-legend", "aria-live": "polite" });
    const controls = h("div", { class: "pg-controls" });
    const left = h("div", { class: "pg-column" });
    const right = h("div", { class: "pg-column" });

    // The objective and the start.
    const problem = h("fieldset", { class: "pg-group" }, h("legend", { text: L_.objective }));
    const objectiveId = nextId("objective");
    const select = h("select", { id: objectiveId });
    for (const name of Object.keys(OBJECTIVES)) select.append(h("option", { value: name, text: L_[name] }));
    select.addEventListener("change", () => {
      this.state.objective = select.value;
      this.state.start = [...OBJECTIVES[select.value].start];
      this.changed();
    });
    this.controls.objective = select;
    problem.append(h("div", { class: "pg-row" }, h("label", { for: objectiveId, class: "pg-visually-hidden", text: L_.objective }), select));
    const startRow = h("div", { class: "pg-row pg-start-row" });
    for (const [axis, key] of [
      [0, "start_x"],
      [1, "start_y"],
    ]) {
      const id = nextId(key);
      const input = h("input", { id, type: "number", step: "any", inputmode: "decimal" });
      input.addEventListener("change", () => {
        const v = Number(input.value);
        if (input.value !== "" && Number.isFinite(v)) {
          this.state.start[axis] = v;
          this.changed();
        } else this.sync();
      });
      this.controls[key] = input;
      startRow.append(h("label", { for: id, text: L_[key] }), input);
    }
    const reset = h("button", { type: "button", class: "pg-button", text: L_.reset });
    reset.addEventListener("click", () => {
      this.state = structuredClone(this.preset);
      this.changed();
    });
    startRow.append(reset);
    problem.append(startRow);
    left.append(problem);

    // The optimizers, each with its own learning rate.
    const racing = h("fieldset", { class: "pg-group pg-optimizers" }, h("legend", { text: L_.optimizers }));
    this.optRows = {};
    const shown = this.compact ? this.preset.opt : IDS;
    for (const id of shown) {
      const name = this.setup.names[id];
      const boxId = nextId(`use-${id}`);
      const box = h("input", { type: "checkbox", id: boxId });
      box.addEventListener("change", () => {
        const on = new Set(this.state.opt);
        if (box.checked) on.add(id);
        else if (on.size > 1) on.delete(id);
        else box.checked = true; // at least one optimizer runs
        this.state.opt = IDS.filter((o) => on.has(o));
        if (!this.state.opt.includes(this.state.inspect)) this.state.inspect = this.state.opt[0];
        this.changed();
      });
      const head = h(
        "div",
        { class: "pg-opt-head" },
        box,
        h("label", { for: boxId }, h("span", { class: "pg-swatch", style: `background: var(--pg-${id})`, "aria-hidden": "true" }), name),
      );
      const lr = this.slider(`lr-${id}`, L_.lr_of.replace("{name}", name), "lr", () => this.state.lr[id], (v) => {
        this.state.lr[id] = v;
      }, L_.lr);
      const row = h("div", { class: "pg-opt", "data-opt": id }, head, lr.row);
      this.optRows[id] = { row, box, lr };
      racing.append(row);
    }
    right.append(racing);

    // The hyperparameters the optimizers share, and the number of steps.
    const shared = h("fieldset", { class: "pg-group" }, h("legend", { text: L_.shared }));
    this.sharedRows = {};
    for (const key of SHARED_ORDER) {
      const control = this.slider(key, L_[key], key, () => this.state.shared[key], (v) => {
        this.state.shared[key] = v;
      });
      this.sharedRows[key] = control;
      shared.append(control.row);
    }
    this.stepsControl = this.slider("steps", L_.steps, "steps", () => this.state.steps, (v) => {
      this.state.steps = v;
      this.state.t = Math.min(this.state.t, v);
    });
    shared.append(this.stepsControl.row);
    const bcId = nextId("bc");
    const bc = h("input", { type: "checkbox", id: bcId });
    bc.addEventListener("change", () => {
      this.state.bc = bc.checked;
      this.changed();
    });
    this.controls.bc = bc;
    this.bcRow = h("div", { class: "pg-row pg-check" }, bc, h("label", { for: bcId, text: L_.bias_correction }));
    shared.append(this.bcRow);
    left.append(shared);
    controls.append(left, right);

    // Step through: one optimizer's step t in a table.
    const inspect = h("fieldset", { class: "pg-group pg-inspect" }, h("legend", { text: L_.inspect }));
    const whoId = nextId("inspect");
    const who = h("select", { id: whoId });
    who.addEventListener("change", () => {
      this.state.inspect = who.value;
      this.changed();
    });
    this.controls.inspect = who;
    inspect.append(h("div", { class: "pg-row" }, h("label", { for: whoId, text: L_.inspect_optimizer }), who));
    this.stepControl = this.slider("t", L_.step, null, () => this.state.t, (v) => {
      this.state.t = v;
    });
    const prev = h("button", { type: "button", class: "pg-button", "aria-label": L_.previous, text: "◀" });
    const next = h("button", { type: "button", class: "pg-button", "aria-label": L_.next, text: "▶" });
    prev.addEventListener("click", () => this.stepBy(-1));
    next.addEventListener("click", () => this.stepBy(1));
    this.stepControl.row.append(h("span", { class: "pg-stepper" }, prev, next));
    inspect.append(this.stepControl.row);
    this.table = h("table", { class: "pg-table" });
    inspect.append(h("div", { class: "pg-table-wrap" }, this.table));
    controls.append(inspect);

    // The configuration as a link.
    const href = this.full ? location.pathname : this.root.dataset.page;
    this.link = h("a", { class: "pg-link", href, text: this.full ? L_.link : L_.open });
    const foot = h("p", { class: "pg-foot" }, this.link);
    this.root.append(plots, this.legend, controls, foot);
  }

  slider(key, label, scaleKey, get, set, short = null) {
    const scale = scaleKey === null ? null : SCALES[scaleKey];
    const id = nextId(key);
    const labelId = `${id}-label`;
    const range = h("input", { type: "range", id, min: 0, step: 1 });
    const number = h("input", {
      type: "number",
      step: "any",
      inputmode: "decimal",
      "aria-labelledby": labelId,
      class: "pg-number",
    });
    const row = h(
      "div",
      { class: "pg-row pg-slider", "data-key": key },
      h("label", { id: labelId, for: id }, short ?? label),
      range,
      number,
    );
    if (short) {
      range.setAttribute("aria-label", label);
      number.setAttribute("aria-label", label);
      number.removeAttribute("aria-labelledby");
    }
    const toSlider = (v) => (scale ? scale.to(v) : v);
    const fromSlider = (p) => (scale ? scale.from(p) : p);
    const control = {
      row,
      range,
      number,
      update: () => {
        const v = get();
        if (scale) range.max = scale.n;
        else range.max = this.state.steps;
        range.value = String(Math.max(0, Math.min(Number(range.max), toSlider(v))));
        range.setAttribute("aria-valuetext", String(v));
        if (document.activeElement !== number) number.value = String(v);
      },
    };
    range.addEventListener("input", () => {
      set(fromSlider(Number(range.value)));
      number.value = String(get());
      range.setAttribute("aria-valuetext", String(get()));
      this.changed(false);
    });
    number.addEventListener("change", () => {
      const v = Number(number.value);
      const [lo, hi] = scaleKey && VALID[scaleKey] ? VALID[scaleKey] : [scale ? scale.min : 0, scale ? scale.max + 1 : this.state.steps + 1];
      const ok = number.value !== "" && Number.isFinite(v) && v >= lo && v < hi;
      if (ok) set(scaleKey === "steps" || scaleKey === null ? Math.round(v) : v);
      number.value = String(get());
      this.changed();
    });
    return control;
  }

  stepBy(delta) {
    this.state.t = Math.max(0, Math.min(this.state.steps, this.state.t + delta));
    this.changed();
  }

  buildContour(parent) {
    const L_ = this.labels;
    const helpId = nextId("help");
    const svg = s("svg", {
      viewBox: `0 0 ${C.w} ${C.h}`,
      class: "pg-contour",
      role: "group",
      "aria-label": L_.paths,
      "aria-describedby": helpId,
    });
    const clipId = nextId("clip");
    svg.append(
      s("defs", {}, s("clipPath", { id: clipId }, s("rect", { x: C.l, y: C.t, width: C.w - C.l - C.r, height: C.h - C.t - C.b }))),
    );
    this.plotArea = s("rect", { x: C.l, y: C.t, width: C.w - C.l - C.r, height: C.h - C.t - C.b, class: "pg-area" });
    this.contourGroup = s("g", { class: "pg-levels", "clip-path": `url(#${clipId})`, "aria-hidden": "true" });
    this.axesC = s("g", { class: "pg-axes", "aria-hidden": "true" });
    this.pathGroup = s("g", { "clip-path": `url(#${clipId})`, "aria-hidden": "true" });
    this.paths = {};
    for (const id of IDS) {
      const g = s("g", { "data-opt": id, style: `color: var(--pg-${id})` });
      const line = s("polyline", { class: "pg-path", "vector-effect": "non-scaling-stroke" });
      const end = s("circle", { r: 4, class: "pg-end" });
      const here = s("circle", { r: 5.5, class: "pg-here" });
      g.append(s("g", { transform: "scale(0.1)" }, line), end, here);
      this.paths[id] = { g, line, end, here };
      this.pathGroup.append(g);
    }
    this.minima = s("g", { class: "pg-minima", "aria-hidden": "true" });
    this.startMark = s(
      "g",
      { class: "pg-start", tabindex: 0, role: "button" },
      s("circle", { r: 12, class: "pg-focus-ring" }),
      s("rect", { x: -5, y: -5, width: 10, height: 10, class: "pg-start-box" }),
    );
    svg.append(this.plotArea, this.contourGroup, this.axesC, this.minima, this.pathGroup, this.startMark);
    this.contourSvg = svg;
    this.startMark.addEventListener("keydown", (event) => this.startKey(event));
    svg.addEventListener("pointerdown", (event) => this.pointer(event, "down"));
    svg.addEventListener("pointermove", (event) => this.pointer(event, "move"));
    svg.addEventListener("pointerup", (event) => this.pointer(event, "up"));
    svg.addEventListener("pointercancel", (event) => this.pointer(event, "up"));
    const figure = h("figure", { class: "pg-figure" }, svg, h("figcaption", { id: helpId, class: "pg-help", text: L_.paths_help }));
    parent.append(figure);
  }

  buildLoss(parent) {
    const svg = s("svg", { viewBox: `0 0 ${L.w} ${L.h}`, class: "pg-loss", role: "img" });
    this.lossTitle = svg;
    this.axesL = s("g", { class: "pg-axes" });
    this.lossGroup = s("g", { transform: "scale(0.1)" }); // integer tenths, as the paths
    this.lossLines = {};
    for (const id of IDS) {
      const line = s("polyline", { class: "pg-path", "data-opt": id, style: `color: var(--pg-${id})`, "vector-effect": "non-scaling-stroke" });
      this.lossLines[id] = line;
      this.lossGroup.append(line);
    }
    this.lossCursor = s("line", { class: "pg-cursor" });
    svg.append(this.axesL, this.lossGroup, this.lossCursor);
    this.lossSvg = svg;
    parent.append(h("figure", { class: "pg-figure" }, svg));
  }

  applyColours() {
    const theme = document.documentElement.dataset.theme;
    const dark = theme === "dark" || (theme !== "light" && matchMedia("(prefers-color-scheme: dark)").matches);
    for (const id of IDS) this.root.style.setProperty(`--pg-${id}`, this.setup.colors[id][dark ? 1 : 0]);
  }

  // ---- the objective's coordinates <-> the plot's ----
  toPlot(x, y) {
    const [[x0, x1], [y0, y1]] = OBJECTIVES[this.state.objective].window;
    return [C.l + ((x - x0) / (x1 - x0)) * (C.w - C.l - C.r), C.h - C.b - ((y - y0) / (y1 - y0)) * (C.h - C.t - C.b)];
  }

  fromPlot(px, py) {
    const [[x0, x1], [y0, y1]] = OBJECTIVES[this.state.objective].window;
    return [x0 + ((px - C.l) / (C.w - C.l - C.r)) * (x1 - x0), y0 + ((C.h - C.b - py) / (C.h - C.t - C.b)) * (y1 - y0)];
  }

  eventPoint(event) {
    const box = this.contourSvg.getBoundingClientRect();
    return [((event.clientX - box.left) / box.width) * C.w, ((event.clientY - box.top) / box.height) * C.h];
  }

  pointer(event, phase) {
    const [px, py] = this.eventPoint(event);
    const inside = px >= C.l && px <= C.w - C.r && py >= C.t && py <= C.h - C.b;
    if (phase === "down" && inside && event.button === 0) {
      this.dragging = event.pointerId;
      this.contourSvg.setPointerCapture(event.pointerId);
      event.preventDefault();
      this.moveStart(px, py);
    } else if (phase === "move" && this.dragging === event.pointerId) {
      this.moveStart(Math.min(Math.max(px, C.l), C.w - C.r), Math.min(Math.max(py, C.t), C.h - C.b));
    } else if (phase === "move" && event.pointerType === "mouse" && inside) {
      this.hover(px, py);
    } else if (phase === "up" && this.dragging === event.pointerId) {
      this.dragging = null;
      this.changed();
    }
  }

  moveStart(px, py) {
    const [x, y] = this.fromPlot(px, py);
    const [[x0, x1], [y0, y1]] = OBJECTIVES[this.state.objective].window;
    const digits = (span) => 10 ** (Math.floor(Math.log10(span)) - 3);
    const q = (v, span) => Math.round(v / digits(span)) * digits(span);
    this.state.start = [Number(q(x, x1 - x0).toPrecision(6)), Number(q(y, y1 - y0).toPrecision(6))];
    this.changed(false);
  }

  startKey(event) {
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const [[x0, x1], [y0, y1]] = OBJECTIVES[this.state.objective].window;
    const f = event.shiftKey ? 0.1 : 0.02;
    const [x, y] = this.state.start;
    this.state.start = [Number((x + move[0] * f * (x1 - x0)).toPrecision(6)), Number((y + move[1] * f * (y1 - y0)).toPrecision(6))];
    this.changed();
  }

  hover(px, py) {
    let best = null;
    let bestD = 14 ** 2;
    for (const id of this.state.opt) {
      const r = this.runs.get(id);
      if (!r) continue;
      for (let i = 0; i < r.xs.length; i++) {
        if (Number.isNaN(r.xs[i])) break;
        const [qx, qy] = this.toPlot(r.xs[i], r.ys[i]);
        const d = (qx - px) ** 2 + (qy - py) ** 2;
        if (d < bestD) [best, bestD] = [[id, i], d];
      }
    }
    if (best && (best[0] !== this.state.inspect || best[1] !== this.state.t)) {
      [this.state.inspect, this.state.t] = best;
      this.changed(false);
    }
  }

  // ---- state -> controls ----
  sync() {
    const st = this.state;
    this.controls.objective.value = st.objective;
    this.controls.start_x.value = String(st.start[0]);
    this.controls.start_y.value = String(st.start[1]);
    for (const [id, { row, box, lr }] of Object.entries(this.optRows)) {
      box.checked = st.opt.includes(id);
      row.classList.toggle("pg-off", !box.checked);
      lr.row.hidden = !box.checked;
      lr.update();
    }
    const used = new Set(st.opt.flatMap((id) => OPTIMIZERS[id].hyper));
    for (const [key, control] of Object.entries(this.sharedRows)) {
      control.row.hidden = !used.has(key);
      control.update();
    }
    this.stepsControl.update();
    this.controls.bc.checked = st.bc;
    this.bcRow.hidden = !st.opt.some((id) => BIAS_CORRECTED.includes(id));
    const who = this.controls.inspect;
    if (who.options.length !== st.opt.length || [...who.options].some((o, i) => o.value !== st.opt[i])) {
      who.replaceChildren(...st.opt.map((id) => h("option", { value: id, text: this.setup.names[id] })));
    }
    who.value = st.inspect;
    this.stepControl.update();
  }

  // A control moved: redraw now (live), write the URL once the reader pauses.
  changed(syncControls = true) {
    if (syncControls) this.sync();
    else {
      this.stepControl.update();
      const set = (control, value) => {
        if (control.value !== value) control.value = value;
      };
      set(this.controls.start_x, String(this.state.start[0]));
      set(this.controls.start_y, String(this.state.start[1]));
      set(this.controls.inspect, this.state.inspect);
    }
    this.render();
    clearTimeout(this.pending);
    this.pending = setTimeout(() => this.writeConfig(), 200);
  }

  writeConfig() {
    if (this.full) {
      this.lastHash = configText(this.state);
      history.replaceState(history.state, "", `#${this.lastHash}`);
    }
    this.updateLink();
    this.writeLegend();
  }

  updateLink() {
    const text = configText(this.state);
    this.link.href = this.full ? `#${text}` : `${this.root.dataset.page}#${text}`;
  }

  // ---- drawing ----
  render() {
    const st = this.state;
    const objective = OBJECTIVES[st.objective];
    if (this.drawnObjective !== st.objective) this.drawObjective(objective);
    this.runs.clear();
    for (const id of st.opt) this.runs.set(id, run(id, hyperOf(st, id), objective, st.start, st.steps));
    const [sx, sy] = this.toPlot(...st.start);
    this.startMark.setAttribute("transform", `translate(${sx.toFixed(1)} ${sy.toFixed(1)})`);
    this.startMark.setAttribute(
      "aria-label",
      this.labels.start_point.replace("{x}", fmt(st.start[0], 4)).replace("{y}", fmt(st.start[1], 4)),
    );
    // The plot's coordinates, a x + b, worked out once: 10 × 500 points per redraw.
    const [[x0, x1], [y0, y1]] = objective.window;
    const ax = (C.w - C.l - C.r) / (x1 - x0);
    const bx = C.l - x0 * ax;
    const ay = -(C.h - C.t - C.b) / (y1 - y0);
    const by = C.h - C.b - y0 * ay;
    const px = (x) => clampRound(ax * x + bx);
    const py = (y) => clampRound(ay * y + by);
    // Paths in integer tenths of a unit (their group is scaled by 0.1): a number's text is
    // cheapest for an integer, and 10 × 500 points are written per redraw.
    const qx = (x) => clampRound(10 * (ax * x + bx));
    const qy = (y) => clampRound(10 * (ay * y + by));
    for (const id of IDS) {
      const p = this.paths[id];
      const r = this.runs.get(id);
      p.g.style.display = r ? "" : "none";
      this.lossLines[id].style.display = r ? "" : "none";
      if (!r) continue;
      const { xs, ys } = r;
      let points = "";
      let last = 0;
      for (let i = 0; i < xs.length; i++) {
        if (Number.isNaN(xs[i])) break;
        points += `${qx(xs[i])},${qy(ys[i])} `;
        last = i;
      }
      p.line.setAttribute("points", points);
      p.end.setAttribute("cx", px(xs[last]));
      p.end.setAttribute("cy", py(ys[last]));
      const t = Math.min(st.t, last);
      p.here.setAttribute("cx", px(xs[t]));
      p.here.setAttribute("cy", py(ys[t]));
      p.here.classList.toggle("pg-inspected", id === st.inspect);
    }
    this.drawLoss(objective);
    this.drawTable(objective);
  }

  drawObjective(objective) {
    this.drawnObjective = objective.name;
    const levels = contours(objective.name);
    this.contourGroup.replaceChildren(
      ...levels.map((d, k) => s("path", { d, class: "pg-level", style: `opacity: ${(0.9 - (0.55 * k) / levels.length).toFixed(2)}` })),
    );
    this.minima.replaceChildren(
      ...objective.minima.map(([x, y]) => {
        const [px, py] = this.toPlot(x, y);
        return s("path", { d: star(px, py), class: "pg-star" });
      }),
    );
    const [[x0, x1], [y0, y1]] = objective.window;
    const axis = [];
    axis.push(s("rect", { x: C.l, y: C.t, width: C.w - C.l - C.r, height: C.h - C.t - C.b, class: "pg-frame" }));
    for (const v of ticks(x0, x1)) {
      const [px] = this.toPlot(v, y0);
      axis.push(s("line", { x1: px, x2: px, y1: C.h - C.b, y2: C.h - C.b + 4 }));
      axis.push(s("text", { x: px, y: C.h - C.b + 16, "text-anchor": "middle", text: fmt(v, 3) }));
    }
    for (const v of ticks(y0, y1)) {
      const [, py] = this.toPlot(x0, v);
      axis.push(s("line", { x1: C.l - 4, x2: C.l, y1: py, y2: py }));
      axis.push(s("text", { x: C.l - 6, y: py + 4, "text-anchor": "end", text: fmt(v, 3) }));
    }
    axis.push(s("text", { x: (C.l + C.w - C.r) / 2, y: C.h - 3, "text-anchor": "middle", class: "pg-axis-label", text: "x" }));
    axis.push(s("text", { x: 12, y: (C.t + C.h - C.b) / 2, "text-anchor": "middle", class: "pg-axis-label", text: "y" }));
    this.axesC.replaceChildren(...axis);
  }

  drawLoss(objective) {
    const st = this.state;
    const logScale = objective.minima.length > 0;
    const fstar = logScale ? Math.min(...objective.minima.map(([x, y]) => objective.value(x, y))) : 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of this.runs.values()) {
      const f0 = r.loss[0] - fstar;
      for (let i = 0; i < r.loss.length; i++) {
        const v = r.loss[i] - fstar;
        if (!Number.isFinite(v)) break;
        if (logScale) {
          if (v <= 0) continue;
          const lv = Math.log10(v);
          lo = Math.min(lo, lv);
          hi = Math.min(Math.max(hi, lv), Math.log10(Math.max(f0, 1e-300)) + 6);
        } else {
          const cap = 10 * Math.max(1, Math.abs(f0));
          lo = Math.min(lo, Math.max(v, -cap));
          hi = Math.max(hi, Math.min(v, cap));
        }
      }
    }
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
    if (logScale) lo = Math.max(lo, hi - 16);
    if (hi - lo < 1e-9) [lo, hi] = [lo - 0.5, hi + 0.5];
    // Whole decades (log) or whole tick steps (linear): the axis is redrawn only when they change.
    const unit = logScale ? 1 : ticks(lo, hi, 5)[1] - ticks(lo, hi, 5)[0] || 1;
    [lo, hi] = [Math.floor(lo / unit) * unit, Math.ceil(hi / unit) * unit];
    const X = (i) => L.l + (i / st.steps) * (L.w - L.l - L.r);
    const Y = (v) => L.h - L.b - ((v - lo) / (hi - lo)) * (L.h - L.t - L.b);
    for (const [id, r] of this.runs) {
      let points = "";
      for (let i = 0; i < r.loss.length; i++) {
        let v = r.loss[i] - fstar;
        if (!Number.isFinite(v)) break;
        if (logScale) v = Math.log10(Math.max(v, 10 ** (lo - 1)));
        points += `${clampRound(10 * X(i))},${clampRound(10 * Y(v))} `;
      }
      this.lossLines[id].setAttribute("points", points);
    }
    const cx = X(st.t).toFixed(1);
    this.lossCursor.setAttribute("x1", cx);
    this.lossCursor.setAttribute("x2", cx);
    this.lossCursor.setAttribute("y1", L.t);
    this.lossCursor.setAttribute("y2", L.h - L.b);
    const key = `${logScale}|${lo.toFixed(3)}|${hi.toFixed(3)}|${st.steps}`;
    if (key !== this.lossAxisKey) {
      this.lossAxisKey = key;
      const axis = [s("rect", { x: L.l, y: L.t, width: L.w - L.l - L.r, height: L.h - L.t - L.b, class: "pg-frame" })];
      for (const v of ticks(0, st.steps, 4)) {
        axis.push(s("line", { x1: X(v), x2: X(v), y1: L.h - L.b, y2: L.h - L.b + 4 }));
        axis.push(s("text", { x: X(v), y: L.h - L.b + 16, "text-anchor": "middle", text: String(v) }));
      }
      const yt = logScale ? ticks(Math.ceil(lo), Math.floor(hi), 5).filter((v) => Number.isInteger(v)) : ticks(lo, hi, 5);
      for (const v of yt) {
        axis.push(s("line", { x1: L.l - 4, x2: L.l, y1: Y(v), y2: Y(v) }));
        const label = s("text", { x: L.l - 6, y: Y(v) + 4, "text-anchor": "end" });
        if (logScale) label.append("10", s("tspan", { dy: -6, "font-size": "9", text: fmt(v, 3) }));
        else label.textContent = fmt(v, 3);
        axis.push(label);
      }
      const xLabel = s("text", { x: (L.l + L.w - L.r) / 2, y: L.h - 3, "text-anchor": "middle", class: "pg-axis-label" });
      xLabel.append(`${this.labels.step_axis} `, s("tspan", { "font-style": "italic", text: "t" }));
      axis.push(xLabel);
      const yLabel = s("text", {
        x: 12,
        y: (L.t + L.h - L.b) / 2,
        "text-anchor": "middle",
        class: "pg-axis-label",
        transform: `rotate(-90 12 ${(L.t + L.h - L.b) / 2})`,
      });
      yLabel.append(`${this.labels.loss_axis} f(w`, s("tspan", { dy: 3, "font-size": "10", text: "t" }), s("tspan", { dy: -3, text: logScale ? ") − f*" : ")" }));
      axis.push(yLabel);
      this.axesL.replaceChildren(...axis);
      this.lossSvg.setAttribute("aria-label", logScale ? this.labels.losses : this.labels.losses_linear);
    }
  }

  drawTable(objective) {
    const st = this.state;
    // The run up to step t only: its trace is the first t + 1 records of the whole run's.
    const traced = run(st.inspect, hyperOf(st, st.inspect), objective, st.start, st.t, { trace: true });
    const t = Math.min(st.t, traced.trace.length - 1);
    const record = traced.trace[t];
    const L_ = this.labels;
    const rows = [
      ["w", record.w],
      ["g", record.g],
      ["m", record.m],
      ["v", record.v],
      ["m_hat", record.m_hat],
      ["v_hat", record.v_hat],
      ["update", record.update],
    ];
    const caption = `${this.setup.names[st.inspect]}, t = ${record.t}`;
    if (!this.tableBody) {
      this.tableCaption = h("caption");
      const head = h("thead", {}, h("tr", {}, h("th", { scope: "col", text: L_.quantity }), h("th", { scope: "col", text: "x" }), h("th", { scope: "col", text: "y" })));
      this.tableBody = h("tbody");
      this.tableCells = rows.map(([key]) => {
        const x = h("td");
        const y = h("td");
        const head = h("th", { scope: "row" }, `${L_[key]} `, symbol(key));
        this.tableBody.append(h("tr", { "data-key": key }, head, x, y));
        return [x, y];
      });
      this.table.append(this.tableCaption, head, this.tableBody);
    }
    this.tableCaption.textContent = caption;
    rows.forEach(([, value], k) => {
      this.tableCells[k][0].textContent = value ? fmt(value[0]) : L_.none;
      this.tableCells[k][1].textContent = value ? fmt(value[1]) : L_.none;
    });
  }

  writeLegend() {
    const st = this.state;
    const items = st.opt.map((id) => {
      const r = this.runs.get(id);
      const name = this.setup.names[id];
      const text =
        r && r.diverged >= 0
          ? this.labels.diverged.replace("{name}", name).replace("{t}", r.diverged)
          : this.labels.final.replace("{name}", name).replace("{loss}", fmt(r ? r.loss[st.steps] : NaN)).replace("{steps}", st.steps);
      return h("li", {}, h("span", { class: "pg-swatch", style: `background: var(--pg-${id})`, "aria-hidden": "true" }), text);
    });
    this.legend.replaceChildren(...items);
  }
}

// The table's symbols: w_t, g_t, m_t, v_t, m̂_t, v̂_t and w_t − w_{t−1}, with real subscripts.
function symbol(key) {
  const sub = (base, index) => h("span", { class: "pg-symbol" }, h("var", { text: base }), h("sub", { text: index }));
  const bases = { w: "w", g: "g", m: "m", v: "v", m_hat: "m\u0302", v_hat: "v\u0302" };
  if (key === "update") return h("span", {}, sub("w", "t"), " − ", sub("w", "t−1"));
  return sub(bases[key], "t");
}

// A plot coordinate, rounded, and kept where SVG can draw it (a diverging run's are huge).
function clampRound(v) {
  return v > 1e5 ? 1e5 : v < -1e5 ? -1e5 : Math.round(v);
}

function star(x, y, r = 7) {
  let d = "";
  for (let k = 0; k < 10; k++) {
    const a = -Math.PI / 2 + (k * Math.PI) / 5;
    const rr = k % 2 ? r * 0.45 : r;
    d += `${k ? "L" : "M"}${(x + rr * Math.cos(a)).toFixed(1)} ${(y + rr * Math.sin(a)).toFixed(1)}`;
  }
  return `${d}Z`;
}

for (const root of document.querySelectorAll("div.pg")) {
  const pg = new Playground(root);
  pg.updateLink();
  pg.writeLegend();
}
