"""The optimizer playground (docs/playground.md and the chapters' embeds) as a reader uses it.

Each control changes the drawing; the URL round-trips; the keyboard reaches and operates every
control and moves the start point; pointer drag and touch tap move the start; the step table
shows the package's numbers; both editions label the interface in their language; dark mode
recolours it; at 360 px nothing overflows; axe-core finds nothing, the console stays clean and
no request leaves the loopback server; with JavaScript off, the build-time figure shows.
The math itself is checked against the package in test_playground_parity.py.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urljoin, urlsplit

import numpy as np
import pytest
from book_editions import HANGUL
from playground import OPTIMIZERS, SHARED, Config, make_optimizer
from site_harness import AXE_RUN, LANGS, MODES, axe_path, new_context, recording

# axe-core on the playground only: the sweep (test_pages.py) runs it on whole pages at 1280 px.
AXE_PLAYGROUND = AXE_RUN.replace("axe.run(document,", 'axe.run("div.pg",')

from adam_tutorial import run
from adam_tutorial.objectives import OBJECTIVES

PAGE = "playground.html"
EMBEDS = ("momentum.html", "adagrad-rmsprop.html", "adam.html", "bias-correction.html")
READY = "div.pg.pg-ready"

# Everything the reader sees drawn: paths, markers, contours, loss curves, the step table.
DRAWING = """(root) => {
  const shown = (el) => el.closest("[style*='display: none']") === null;
  const attrs = (sel, names) => Array.from(root.querySelectorAll(sel)).filter(shown)
    .map((el) => names.map((n) => el.getAttribute(n)).join("|"));
  return JSON.stringify({
    paths: attrs(".pg-contour polyline", ["points"]),
    markers: attrs(".pg-contour circle", ["cx", "cy", "class"]),
    start: attrs(".pg-start", ["transform"]),
    levels: attrs(".pg-level", ["d"]),
    losses: attrs(".pg-loss polyline", ["points"]),
    cursor: attrs(".pg-cursor", ["x1"]),
    table: root.querySelector(".pg-table").textContent,
  });
}"""

CONTROLS = """(root) => {
  const v = (sel) => root.querySelector(sel);
  const slider = (key) => v(`.pg-slider[data-key='${key}'] input[type=number]`).value;
  return {
    objective: v("select").value,
    opt: Array.from(root.querySelectorAll(".pg-opt")).filter((r) =>
      r.querySelector("input[type=checkbox]").checked).map((r) => r.dataset.opt),
    lr: Object.fromEntries(Array.from(root.querySelectorAll(".pg-opt")).map((r) =>
      [r.dataset.opt, r.querySelector(".pg-slider input[type=number]").value])),
    start: [v(".pg-start-row input[type=number]").value,
            root.querySelectorAll(".pg-start-row input[type=number]")[1].value],
    steps: slider("steps"), t: slider("t"),
    shared: Object.fromEntries(["beta1", "beta2", "eps", "momentum", "alpha", "weight_decay"]
      .map((k) => [k, slider(k)])),
    bc: v(".pg-check input").checked,
    inspect: v(".pg-inspect select").value,
  };
}"""


@pytest.fixture(scope="module")
def context(browser, base_url):
    context = new_context(browser, base_url, "light")
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    yield page
    page.close()


def open_page(page, path: str):
    page.goto(path, wait_until="load")
    page.wait_for_selector(READY)
    return page.locator(READY).first


def drawing(root) -> str:
    return root.evaluate(DRAWING)


def slider(root, key: str):
    return root.locator(f".pg-slider[data-key='{key}']")


def test_the_page_and_the_extension_agree_on_the_optimizers(page):
    open_page(page, f"en/{PAGE}")
    js = page.evaluate("""async () => {
      const {OPTIMIZERS} = await import("./_static/playground/optimizers.js");
      const {OBJECTIVES} = await import("./_static/playground/objectives.js");
      return {opt: Object.fromEntries(Object.values(OPTIMIZERS).map((o) =>
                [o.id, [o.python, o.defaults]])),
              objectives: Object.keys(OBJECTIVES)};
    }""")
    python = {
        i: [cls, {**d, **({"bias_correction": True} if i in {"adam", "adamw", "amsgrad"} else {})}]
        for i, (cls, _, d) in OPTIMIZERS.items()
    }
    assert js["opt"] == python
    assert js["objectives"] == list(OBJECTIVES)


@pytest.mark.parametrize(
    ("key", "action"),
    [
        ("objective", lambda r: r.locator("select").first.select_option("himmelblau")),
        ("start x", lambda r: r.locator(".pg-start-row input").first.fill("-1") or r.locator(
            ".pg-start-row input").first.press("Tab")),
        ("adagrad on", lambda r: r.locator(".pg-opt[data-opt=adagrad] input[type=checkbox]").check()),
        ("sgd off", lambda r: r.locator(".pg-opt[data-opt=sgd] input[type=checkbox]").uncheck()),
        ("lr adam", lambda r: r.locator(".pg-opt[data-opt=adam] input[type=range]").press("ArrowRight")),
        ("lr typed", lambda r: r.locator(".pg-opt[data-opt=rmsprop] input[type=number]").fill("0.02")
            or r.locator(".pg-opt[data-opt=rmsprop] input[type=number]").press("Tab")),
        ("beta1", lambda r: slider(r, "beta1").locator("input[type=range]").press("ArrowLeft")),
        ("beta2", lambda r: slider(r, "beta2").locator("input[type=range]").press("PageDown")),
        ("eps", lambda r: slider(r, "eps").locator("input[type=number]").fill("0.5")
            or slider(r, "eps").locator("input[type=number]").press("Tab")),
        ("momentum", lambda r: slider(r, "momentum").locator("input[type=range]").press("ArrowLeft")),
        ("alpha", lambda r: slider(r, "alpha").locator("input[type=range]").press("PageDown")),
        ("steps", lambda r: slider(r, "steps").locator("input[type=range]").press("ArrowLeft")),
        ("step t", lambda r: slider(r, "t").locator("input[type=range]").press("ArrowRight")),
        ("next step", lambda r: r.locator(".pg-stepper button").nth(1).click()),
        ("inspected", lambda r: r.locator(".pg-inspect select").select_option("adam")),
    ],
)  # fmt: skip
def test_each_control_changes_the_drawing(page, key, action):
    root = open_page(page, f"en/{PAGE}")
    before = drawing(root)
    action(root)
    assert drawing(root) != before, key


def test_weight_decay_and_bias_correction_change_the_drawing(page):
    root = open_page(page, f"en/{PAGE}#opt=adamw&lr=0.3&objective=quadratic")
    before = drawing(root)
    slider(root, "weight_decay").locator("input[type=range]").press("PageUp")
    after_decay = drawing(root)
    assert after_decay != before
    root.locator(".pg-check input").uncheck()
    assert drawing(root) != after_decay


URL = (
    "objective=beale&opt=adam,nadam&lr=0.05,0.02&start=1,1.5&steps=77&beta1=0.8&beta2=0.99"
    "&eps=1e-06&momentum=0.5&alpha=0.9&weight_decay=0.1&bc=0&inspect=nadam&t=5"
)


def test_a_url_sets_every_control(page):
    root = open_page(page, f"en/{PAGE}#{URL}")
    controls = root.evaluate(CONTROLS)
    assert controls["objective"] == "beale"
    assert controls["opt"] == ["adam", "nadam"]
    assert (controls["lr"]["adam"], controls["lr"]["nadam"]) == ("0.05", "0.02")
    assert controls["start"] == ["1", "1.5"]
    assert (controls["steps"], controls["t"]) == ("77", "5")
    assert controls["shared"] == {
        "beta1": "0.8", "beta2": "0.99", "eps": "0.000001", "momentum": "0.5", "alpha": "0.9",
        "weight_decay": "0.1",
    }  # fmt: skip
    assert controls["bc"] is False
    assert controls["inspect"] == "nadam"
    assert "NAdam, t = 5" in root.locator(".pg-table caption").text_content()


def test_moving_the_controls_writes_the_url(page):
    root = open_page(page, f"en/{PAGE}#{URL}")
    slider(root, "steps").locator("input[type=range]").press("ArrowRight")
    root.locator(".pg-check input").check()
    root.locator(".pg-opt[data-opt=sgd] input[type=checkbox]").check()
    page.wait_for_function("location.hash.includes('steps=78') && location.hash.includes('bc=1')")
    query = parse_qs(urlsplit(page.url).fragment)
    assert query["opt"] == ["sgd,adam,nadam"]
    # SGD, off in the URL, keeps the learning rate of the page's preset.
    preset = Config.from_query(root.get_attribute("data-config"))
    assert query["lr"] == [f"{preset.lr[preset.optimizers.index('sgd')]},0.05,0.02"]
    assert query["objective"] == ["beale"]
    # The link under the playground is the same configuration; loading it reproduces the state.
    href = root.locator("a.pg-link").get_attribute("href")
    assert href == "#" + urlsplit(page.url).fragment
    state = root.evaluate(CONTROLS)
    other = page.context.new_page()
    try:
        assert open_page(other, page.url).evaluate(CONTROLS) == state
    finally:
        other.close()


@pytest.mark.parametrize("chapter", EMBEDS)
def test_each_chapter_links_its_preset_to_the_playground(page, chapter):
    root = open_page(page, f"en/{chapter}")
    assert "pg-compact" in root.get_attribute("class")
    preset = Config.from_query(root.get_attribute("data-config"))
    href = root.locator("a.pg-link").get_attribute("href")
    assert urljoin(page.url, href).startswith(urljoin(page.url, f"{PAGE}#"))
    assert Config.from_query(urlsplit(href).fragment) == preset
    with page.expect_navigation():
        root.locator("a.pg-link").click()
    full = page.locator(READY).first
    page.wait_for_selector(READY)
    controls = full.evaluate(CONTROLS)
    assert controls["opt"] == list(preset.optimizers)
    assert controls["objective"] == preset.objective
    assert controls["bc"] is preset.bias_correction


def test_every_control_is_reached_with_the_tab_key(page):
    root = open_page(page, f"en/{PAGE}")
    reachable = root.evaluate("""(root) => Array.from(root.querySelectorAll(
        "input, select, button, a[href], [tabindex='0']")).filter((el) =>
        el.getClientRects().length > 0).map((el) => el.id || el.className.baseVal || el.className
        || el.tagName)""")
    root.locator(".pg-start").focus()
    seen = []
    for _ in range(len(reachable) + 5):
        seen.append(
            page.evaluate("""() => {const el = document.activeElement;
          return el.id || (el.className.baseVal ?? el.className) || el.tagName; }""")
        )
        page.keyboard.press("Tab")
    assert set(reachable) <= set(seen), set(reachable) - set(seen)


def test_the_keyboard_moves_the_start_and_steps_through(page):
    root = open_page(page, f"en/{PAGE}")
    start = root.locator(".pg-start")
    start.focus()
    assert start.evaluate("(el) => el.matches(':focus')")
    x, y = root.evaluate(CONTROLS)["start"]
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Shift+ArrowUp")
    (x0, x1), (y0, y1) = OBJECTIVES["rosenbrock"].window
    moved = root.evaluate(CONTROLS)["start"]
    assert float(moved[0]) == pytest.approx(float(x) + 0.02 * (x1 - x0))
    assert float(moved[1]) == pytest.approx(float(y) + 0.12 * (y1 - y0))
    assert "Start point" in start.get_attribute("aria-label")
    t = slider(root, "t").locator("input[type=range]")
    t.focus()
    page.keyboard.press("End")
    assert root.evaluate(CONTROLS)["t"] == root.evaluate(CONTROLS)["steps"]
    page.keyboard.press("Home")
    assert root.evaluate(CONTROLS)["t"] == "0"


def test_focus_is_visible(page):
    root = open_page(page, f"en/{PAGE}")
    root.locator("select").first.focus()
    page.keyboard.press("Tab")  # keyboard focus: :focus-visible
    style = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert style not in {"none", ""}
    root.locator(".pg-start").focus()
    page.keyboard.press("ArrowLeft")
    ring = root.locator(".pg-focus-ring").evaluate("(el) => getComputedStyle(el).visibility")
    assert ring == "visible"


def test_the_table_shows_the_packages_numbers(page):
    """The Adam chapter's preset at t = 1: the seed's first step, as the package computes it."""
    root = open_page(page, "en/adam.html")
    preset = Config.from_query(root.get_attribute("data-config"))
    i = preset.optimizers.index("adam")
    opt = make_optimizer("adam", preset.lr[i], preset)
    traj = run(opt, OBJECTIVES[preset.objective], np.array(preset.start), 1)
    m_hat, v_hat = opt.bias_corrected(traj.states)
    rows = root.evaluate("""(root) => Object.fromEntries(Array.from(
        root.querySelectorAll(".pg-table tbody tr")).map((tr) => [tr.dataset.key,
        Array.from(tr.querySelectorAll("td")).map((td) => Number(td.textContent
          .replaceAll("−", "-")))]))""")
    grad = OBJECTIVES[preset.objective].grad(np.array(preset.start))
    np.testing.assert_allclose(rows["g"], grad, rtol=1e-3)
    np.testing.assert_allclose(rows["m"], traj.states.m[1], rtol=1e-3)
    np.testing.assert_allclose(rows["v"], traj.states.v[1], rtol=1e-3)
    np.testing.assert_allclose(rows["m_hat"], m_hat[1], rtol=1e-3)
    np.testing.assert_allclose(rows["v_hat"], v_hat[1], rtol=1e-3)
    np.testing.assert_allclose(rows["update"], traj.params[1] - traj.params[0], rtol=1e-3)
    np.testing.assert_allclose(rows["w"], traj.params[1], rtol=1e-3)


def test_bias_correction_toggle_changes_the_first_step(page):
    """The bias-correction chapter's preset: 100 η uncorrected, η corrected (β1 = 0, β2 = 0.9999)."""
    root = open_page(page, "en/bias-correction.html")
    update = root.locator(".pg-table tr[data-key=update] td")
    assert update.all_text_contents() == ["1", "−1"]  # 100 η with η = 0.01
    root.locator(".pg-check input").check()
    assert update.all_text_contents() == ["0.01", "−0.01"]


def _point_on_page(root, index: int, opt: str):
    return root.evaluate(
        """(root, [i, id]) => {
      const pts = root.querySelector(`.pg-contour g[data-opt=${id}] polyline`)
        .getAttribute("points").trim().split(" ").map((p) => p.split(",").map(Number));
      const svg = root.querySelector(".pg-contour"), box = svg.getBoundingClientRect();
      const vb = svg.viewBox.baseVal;  // the points are in tenths of the viewBox's units
      return [box.left + pts[i][0] / 10 / vb.width * box.width,
              box.top + pts[i][1] / 10 / vb.height * box.height];
    }""",
        [index, opt],
    )


def test_hovering_a_path_shows_that_step(page):
    root = open_page(page, f"en/{PAGE}#objective=quadratic&opt=adam&lr=0.3&steps=50")
    x, y = _point_on_page(root, 2, "adam")
    page.mouse.move(x, y)
    assert "Adam, t = 2" in root.locator(".pg-table caption").text_content()


def test_dragging_moves_the_start(page):
    root = open_page(page, f"en/{PAGE}")
    root.locator(".pg-contour").scroll_into_view_if_needed()
    box = root.locator(".pg-contour").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.3, steps=4)
    page.mouse.up()
    x, y = (float(v) for v in root.evaluate(CONTROLS)["start"])
    (x0, x1), (y0, y1) = OBJECTIVES["rosenbrock"].window
    assert x0 + 0.6 * (x1 - x0) < x < x1
    assert y0 + 0.6 * (y1 - y0) < y < y1
    page.wait_for_function("location.hash.includes('start=')")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("mode", MODES)
def test_phone_touch_dark_and_edition(browser, base_url, lang, mode):
    """At 360 px with touch: a tap moves the start, nothing overflows, the labels are in the
    edition's language, the colours follow the mode, axe finds nothing in the playground, and
    the console and the network stay clean."""
    context = new_context(browser, base_url, mode, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.set_viewport_size({"width": 360, "height": 800})
        problems = []
        for name in (PAGE, "adam.html"):
            with recording(page, f"{lang}/{name}") as visit:
                root = open_page(page, f"{lang}/{name}")
                overflow = page.evaluate(
                    "document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"
                )
                assert overflow <= 0, f"{lang}/{name}: {overflow} px wider than the phone"
                legend = root.locator("legend").first.text_content()
                assert bool(HANGUL.search(legend)) == (lang == "ko"), legend
                before = root.evaluate(CONTROLS)["start"]
                root.locator(".pg-contour").scroll_into_view_if_needed()
                box = root.locator(".pg-contour").bounding_box()
                page.touchscreen.tap(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.4)
                assert root.evaluate(CONTROLS)["start"] != before
                colour = root.locator(".pg-contour g[data-opt=adam]").evaluate(
                    "(el) => getComputedStyle(el).color"
                )
                expected = {"light": "rgb(0, 114, 178)", "dark": "rgb(77, 166, 232)"}[mode]
                assert colour == expected
                area = root.locator(".pg-area").evaluate("(el) => getComputedStyle(el).fill")
                luminance = sum(int(v) for v in area[4:-1].split(",")[:3]) / 3
                assert (luminance < 100) == (mode == "dark"), area
                page.add_script_tag(path=str(axe_path()))
                problems += [
                    f"{lang}/{name}: {v['id']} {v['nodes']}" for v in page.evaluate(AXE_PLAYGROUND)
                ]
            problems += [f"{lang}/{name}: {e}" for e in visit.console_errors + visit.page_errors]
            problems += [f"{lang}/{name}: {e}" for e in visit.failed + visit.bad_responses]
        problems += context.foreign_requests
        assert not problems, "\n".join(problems)
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", [PAGE, *EMBEDS])
def test_without_javascript_the_static_figure_shows(browser, base_url, lang, name):
    context = new_context(browser, base_url, "light", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{lang}/{name}", wait_until="load")
        figure = page.locator("div.pg figure.pg-static")
        img = figure.locator("img.only-light")
        img.scroll_into_view_if_needed()
        page.wait_for_function(
            "(img) => img.complete && img.naturalWidth > 0", arg=img.element_handle()
        )
        assert img.is_visible()
        assert not figure.locator("img.only-dark").is_visible()
        note = figure.locator("figcaption").text_content()
        assert bool(HANGUL.search(note)) == (lang == "ko")
        assert bool(HANGUL.search(img.get_attribute("alt"))) == (lang == "ko")
        assert page.locator("div.pg .pg-controls").count() == 0
    finally:
        context.close()


def test_shared_defaults_are_the_extensions(page):
    root = open_page(page, f"en/{PAGE}#opt=adam")
    shared = root.evaluate(CONTROLS)["shared"]
    assert {k: float(v) for k, v in shared.items()} == SHARED
