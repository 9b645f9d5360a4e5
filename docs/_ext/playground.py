"""The optimizer playground (issue 12): the ``playground`` directive, its figure without JavaScript.

A page shows a playground with::

    ```{playground}
    :objective: rosenbrock
    :optimizers: sgd momentum adam
    :lr: 0.001 0.001 0.05
    :start: -1.5 2
    :steps: 200
    :compact:
    ```

Options: ``objective`` (an ``adam_tutorial.OBJECTIVES`` key), ``optimizers`` (ids of
``_static/playground/optimizers.js``), ``lr`` (one per optimizer; default: the playground's),
``start``, ``steps``, the shared hyperparameters ``beta1``, ``beta2``, ``eps``, ``momentum``,
``alpha``, ``weight-decay``, ``bias-correction`` (``on``/``off``), ``inspect`` (the optimizer
whose step the table shows) and ``step`` (that step), ``compact`` (an embed in a chapter: fewer
controls, and a link to the playground page with the same configuration).

The directive writes a ``<div class="pg">`` whose ``data-config`` is the configuration as a
query string (the format of the playground page's URL hash, read by
``_static/playground/playground.js``) and whose ``data-setup`` holds the interface strings in the
page's language (from ``locale/<lang>/LC_MESSAGES/sphinx.po``, through theme_catalog), the
colours and the defaults. Inside it, in ``<noscript>``, the same configuration drawn at build
time with ``adam_tutorial.run`` and ``adam_tutorial.plotting`` (light and dark, as
figure_variants.py does for the notebooks), and a sentence saying what the interactive version
adds. The script and its stylesheet are added to the pages that have a playground only.
"""

from __future__ import annotations

import hashlib
import io
import json
import posixpath
import shutil
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import parse_qsl, urlencode, urljoin

import notebook_downloads
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx

__version__ = "1.0"

OBJECTIVES = ("quadratic", "rotated_quadratic", "rosenbrock", "beale", "saddle", "himmelblau")
# id -> (package class, flags the id implies, the playground's defaults): the table of
# _static/playground/optimizers.js (OPTIMIZERS), which tests/browser/test_playground.py compares.
OPTIMIZERS: dict[str, tuple[str, dict[str, bool], dict[str, float]]] = {
    "sgd": ("SGD", {}, {"lr": 0.19}),
    "momentum": ("SGD", {}, {"lr": 0.04, "momentum": 0.9}),
    "nesterov": ("SGD", {"nesterov": True}, {"lr": 0.04, "momentum": 0.9}),
    "adagrad": ("Adagrad", {}, {"lr": 1.5, "eps": 1e-10}),
    "rmsprop": ("RMSprop", {}, {"lr": 0.1, "alpha": 0.99, "eps": 1e-8}),
    "adam": ("Adam", {}, {"lr": 0.3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}),
    "adamw": (
        "AdamW",
        {},
        {"lr": 0.3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.01},
    ),
    "amsgrad": ("Adam", {"amsgrad": True}, {"lr": 0.3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}),
    "adamax": ("Adamax", {}, {"lr": 0.3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}),
    "nadam": ("NAdam", {}, {"lr": 0.3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}),
}
BIAS_CORRECTED = ("adam", "adamw", "amsgrad")  # the ids whose class has bias_correction
# The hyperparameters every optimizer that uses them shares (one slider each), and their
# values when a configuration does not give them.
SHARED = {
    "beta1": 0.9,
    "beta2": 0.999,
    "eps": 1e-8,
    "momentum": 0.9,
    "alpha": 0.99,
    "weight_decay": 0.01,
}
# One colour per optimizer (light page, dark page): Okabe & Ito's palette first, then Paul
# Tol's muted colours; each dark one is lighter, for the theme's #121212 (Nesterov's and
# AMSGrad's moved further, so that they stay apart from Adam's blue and RMSprop's pink there).
COLORS = {
    "sgd": ("#000000", "#e8e8e8"),
    "momentum": ("#E69F00", "#E69F00"),
    "nesterov": ("#56B4E9", "#A6DDFF"),
    "adagrad": ("#009E73", "#2BC79A"),
    "rmsprop": ("#CC79A7", "#E0A3C6"),
    "adam": ("#0072B2", "#4DA6E8"),
    "adamw": ("#D55E00", "#FF8A3D"),
    "amsgrad": ("#882255", "#C39BFF"),
    "adamax": ("#999933", "#CCCC66"),
    "nadam": ("#44AA99", "#77CCBB"),
}
# The interface, in English: msgids of locale/<lang>/LC_MESSAGES/sphinx.po.
LABELS = {
    "objective": "Objective",
    "quadratic": "Bowl 0.1x² + 5y²",
    "rotated_quadratic": "Bowl turned by 45°",
    "rosenbrock": "Rosenbrock's valley",
    "beale": "Beale's function",
    "saddle": "Saddle x² − y²",
    "himmelblau": "Himmelblau's function",
    "optimizers": "Optimizers",
    "momentum_name": "Momentum",
    "nesterov_name": "Nesterov",
    "lr": "Learning rate η",
    "lr_of": "Learning rate η of {name}",
    "shared": "Shared hyperparameters",
    "beta1": "β1",
    "beta2": "β2",
    "eps": "ε",
    "momentum": "Momentum μ",
    "alpha": "α (RMSprop)",
    "weight_decay": "Weight decay λ (AdamW)",
    "steps": "Steps",
    "bias_correction": "Bias correction (Adam, AdamW, AMSGrad)",
    "start_x": "Start x",
    "start_y": "Start y",
    "reset": "Reset",
    "inspect": "Step through",
    "inspect_optimizer": "Optimizer shown in the table",
    "step": "Step t",
    "previous": "Previous step",
    "next": "Next step",
    "quantity": "Quantity",
    "w": "Point",
    "g": "Gradient",
    "m": "First moment",
    "v": "Second moment",
    "m_hat": "Corrected",
    "v_hat": "Corrected",
    "update": "Update",
    "none": "—",
    "paths": "Paths of the optimizers on the contours of the objective",
    "paths_help": "Click, tap or drag to move the start; with the start point focused, "
    "the arrow keys move it.",
    "start_point": "Start point {x}, {y}: arrow keys move it",
    "losses": "Loss against step, logarithmic scale",
    "losses_linear": "Loss against step",
    "loss_axis": "loss",
    "step_axis": "step",
    "diverged": "{name} diverged at step {t}",
    "final": "{name}: f = {loss} after {steps} steps",
    "open": "Open this configuration in the playground",
    "link": "Link to this configuration",
    "static_alt": "Paths of {names} from the start ({x}, {y}) on the contours of {objective}, "
    "and their loss against the step",
    "static_note": "With JavaScript, this figure is interactive: you can drag the start point, "
    "set each optimizer's learning rate and the other hyperparameters, race up to ten "
    "optimizers, and step through every update with its gradient and moments.",
}
FLOAT_OPTIONS = ("beta1", "beta2", "eps", "momentum", "alpha", "weight-decay")


@dataclass(frozen=True)
class Config:
    """One playground configuration; :meth:`query` is the page URL's hash and ``data-config``."""

    objective: str = "quadratic"
    optimizers: tuple[str, ...] = ("sgd", "momentum", "adam")
    lr: tuple[float, ...] = ()
    start: tuple[float, float] | None = None
    steps: int = 100
    shared: dict[str, float] = field(default_factory=dict)
    bias_correction: bool = True
    inspect: str = ""
    step: int = 1

    KEYS: ClassVar = ("objective", "opt", "lr", "start", "steps", *SHARED, "bc", "inspect", "t")

    def complete(self) -> Config:
        """Every value explicit: the defaults of the objective and of each optimizer filled in.

        >>> c = Config(objective="rosenbrock", optimizers=("adam",)).complete()
        >>> c.lr, c.start, c.inspect, c.shared["beta2"]
        ((0.3,), (-1.5, 2.0), 'adam', 0.999)
        """
        from adam_tutorial.objectives import OBJECTIVES as objectives  # noqa: PLC0415

        lr = self.lr or tuple(OPTIMIZERS[o][2]["lr"] for o in self.optimizers)
        start = self.start or tuple(float(v) for v in objectives[self.objective].start)
        return replace(
            self,
            lr=lr,
            start=start,
            shared={**SHARED, **self.shared},
            inspect=self.inspect or self.optimizers[0],
        )

    def query(self) -> str:
        """The configuration as a URL query (what playground.js reads and writes).

        >>> Config(optimizers=("sgd", "adam"), lr=(0.1, 0.3), start=(-10, 1.5)).query()[:67]
        'objective=quadratic&opt=sgd,adam&lr=0.1,0.3&start=-10,1.5&steps=100'
        """
        c = self.complete()
        pairs = [
            ("objective", c.objective),
            ("opt", ",".join(c.optimizers)),
            ("lr", ",".join(_num(v) for v in c.lr)),
            ("start", ",".join(_num(v) for v in c.start)),
            ("steps", str(c.steps)),
            *((name, _num(c.shared[name])) for name in SHARED),
            ("bc", "1" if c.bias_correction else "0"),
            ("inspect", c.inspect),
            ("t", str(c.step)),
        ]
        return urlencode(pairs, safe=",")

    @classmethod
    def from_query(cls, query: str) -> Config:
        """The inverse of :meth:`query`.

        >>> c = Config(optimizers=("adam",), lr=(0.05,), steps=30, bias_correction=False)
        >>> Config.from_query(c.query()) == c.complete()
        True
        """
        q = dict(parse_qsl(query))
        return cls(
            objective=q["objective"],
            optimizers=tuple(q["opt"].split(",")),
            lr=tuple(float(v) for v in q["lr"].split(",")),
            start=tuple(float(v) for v in q["start"].split(",")),
            steps=int(q["steps"]),
            shared={name: float(q[name]) for name in SHARED},
            bias_correction=q["bc"] == "1",
            inspect=q["inspect"],
            step=int(q["t"]),
        )


def _num(value: float) -> str:
    """Shortest text of a number that reads back the same (``-10`` for -10.0).

    >>> _num(-10.0), _num(1e-08), _num(0.3)
    ('-10', '1e-08', '0.3')
    """
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _numbers(text: str) -> tuple[float, ...]:
    return tuple(float(v) for v in text.replace(",", " ").split())


def _on_off(text: str) -> bool:
    return directives.choice(text.strip().lower(), ("on", "off")) == "on"


class playground(nodes.General, nodes.Element):
    """A playground: ``config`` (a :class:`Config`), ``compact``, ``figure`` (file stem)."""


def config_of(o: dict[str, Any]) -> Config:
    """The complete configuration of a directive's (converted) options."""
    optimizers = o.get("optimizers", Config.optimizers)
    if "lr" in o and len(o["lr"]) != len(optimizers):
        msg = f":lr: needs one value per optimizer ({len(optimizers)}), got {len(o['lr'])}"
        raise ValueError(msg)
    if "start" in o and len(o["start"]) != 2:
        msg = ":start: needs two numbers, x and y"
        raise ValueError(msg)
    return Config(
        objective=o.get("objective", Config.objective),
        optimizers=optimizers,
        lr=o.get("lr", ()),
        start=o.get("start"),
        steps=o.get("steps", Config.steps),
        shared={n.replace("-", "_"): o[n] for n in FLOAT_OPTIONS if n in o},
        bias_correction=o.get("bias-correction", True),
        inspect=o.get("inspect", ""),
        step=o.get("step", 1),
    ).complete()


def download_markdown(app: Sphinx) -> Callable[[str, dict[str, str], str], str]:
    """A playground in a reader's notebook (notebook_downloads): a link to it on the site."""

    def render(argument: str, options: dict[str, str], body: str) -> str:
        spec = PlaygroundDirective.option_spec
        config = config_of({name: spec[name](value) for name, value in options.items()})
        url = urljoin(app.config.html_baseurl or "", f"playground.html#{config.query()}")
        return f"[{translate(app)(LABELS['open'])}]({url})"

    return render


class PlaygroundDirective(SphinxDirective):
    has_content = False
    option_spec: ClassVar = {
        "objective": lambda text: directives.choice(text.strip(), OBJECTIVES),
        "optimizers": lambda text: tuple(
            directives.choice(v, tuple(OPTIMIZERS)) for v in text.replace(",", " ").split()
        ),
        "lr": _numbers,
        "start": _numbers,
        "steps": directives.positive_int,
        **dict.fromkeys(FLOAT_OPTIONS, float),
        "bias-correction": _on_off,
        "inspect": lambda text: directives.choice(text.strip(), tuple(OPTIMIZERS)),
        "step": directives.nonnegative_int,
        "compact": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        try:
            config = config_of(self.options)
        except ValueError as error:
            raise self.error(str(error)) from None
        lang = self.config.language
        build = Path(self.config.book_build_dir)
        stem = draw_static_figure(config, lang, build, translate(self.env.app))
        node = playground(config=config, compact="compact" in self.options, figure=stem)
        self.set_source_info(node)
        return [node]


# --- The figure without JavaScript -------------------------------------------------------------


def make_optimizer(name: str, lr: float, config: Config):
    """The package's optimizer for one id of the playground, with the configuration's values.

    >>> make_optimizer("nesterov", 0.04, Config().complete())
    SGD(lr=0.04, momentum=0.9, dampening=0.0, weight_decay=0.0, nesterov=True)
    """
    import adam_tutorial  # noqa: PLC0415

    cls, fixed, defaults = OPTIMIZERS[name]
    hyper = {k: config.shared[k] for k in defaults if k in SHARED}
    if name in BIAS_CORRECTED:
        hyper["bias_correction"] = config.bias_correction
    return getattr(adam_tutorial, cls)(lr=lr, **fixed, **hyper)


def figure_stem(config: Config, lang: str) -> str:
    digest = hashlib.sha256(f"{__version__}|{lang}|{config.query()}".encode()).hexdigest()
    return f"playground-{digest[:16]}"


def draw_static_figure(config: Config, lang: str, build: Path, gettext) -> str:
    """Draw the configuration's paths and losses (light and dark PNGs) into the build folder.

    Returns the file stem; ``<stem>-light.png`` and ``<stem>-dark.png`` are in
    ``<build>/playground/`` (made once per configuration and language).
    """
    stem = figure_stem(config, lang)
    folder = build / "playground"
    if all((folder / f"{stem}-{mode}.png").is_file() for mode in ("light", "dark")):
        return stem
    import matplotlib as mpl  # noqa: PLC0415
    import numpy as np  # noqa: PLC0415

    mpl.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415
    from figure_variants import recolour_for_dark  # noqa: PLC0415

    from adam_tutorial import plotting, run  # noqa: PLC0415
    from adam_tutorial.objectives import OBJECTIVES as objectives  # noqa: PLC0415

    objective = objectives[config.objective]
    names = [_name(o, gettext) for o in config.optimizers]
    folder.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings(), np.errstate(all="ignore"), plt.style.context(plotting.STYLE):
        warnings.simplefilter("ignore")  # a run that diverges: its NaNs are not drawn
        runs = {
            n: run(make_optimizer(o, lr, config), objective, np.array(config.start), config.steps)
            for n, o, lr in zip(names, config.optimizers, config.lr, strict=True)
        }
        colors = [COLORS[o][0] for o in config.optimizers]
        for mode in ("light", "dark"):
            fig, (left, right) = plt.subplots(1, 2, figsize=(6.4, 3.0))
            plotting.compare(objective, runs, left, legend=False, colors=colors, markersize=2)
            plotting.loss_curves(runs, right, colors=colors, log=bool(len(objective.minima)))
            right.legend(loc="best", fontsize=8)
            if mode == "dark":
                recolour_for_dark(fig)
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
            plt.close(fig)
            partial = folder / f"{stem}-{mode}.{hashlib.sha256(buffer.getvalue()).hexdigest()}"
            partial.write_bytes(buffer.getvalue())
            partial.replace(folder / f"{stem}-{mode}.png")  # atomic: parallel readers
    return stem


# --- HTML ----------------------------------------------------------------------------------------

_CATALOGS: dict[str, Any] = {}


def translate(app: Sphinx):
    """``gettext`` of the page's language: our sphinx.po (English: the msgid itself)."""
    lang = app.config.language
    if lang not in _CATALOGS:
        from theme_catalog import PoCatalog, catalog_path  # noqa: PLC0415

        path = catalog_path(app)
        _CATALOGS[lang] = PoCatalog(path).gettext if path else (lambda message: message)
    return _CATALOGS[lang]


NAMES = {"sgd": "SGD", "adagrad": "AdaGrad", "rmsprop": "RMSprop", "adam": "Adam"}
NAMES |= {"adamw": "AdamW", "amsgrad": "AMSGrad", "adamax": "Adamax", "nadam": "NAdam"}


def _name(optimizer: str, gettext=None) -> str:
    """The optimizer's name on the page (momentum's and Nesterov's are translated)."""
    if optimizer in NAMES:
        return NAMES[optimizer]
    message = LABELS[f"{optimizer}_name"]
    return gettext(message) if gettext else message


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def visit_playground_html(self, node: playground) -> None:
    app = self.builder.app
    gettext = translate(app)
    config: Config = node["config"]
    labels = {key: gettext(message) for key, message in LABELS.items()}
    setup = {
        "labels": labels,
        "names": {o: _name(o, gettext) for o in OPTIMIZERS},
        "colors": COLORS,
        "shared": SHARED,
        "defaults": {o: d for o, (_, _, d) in OPTIMIZERS.items()},
        "lang": app.config.language,
    }
    docname = self.builder.current_docname
    to_root = posixpath.relpath(".", posixpath.dirname(docname) or ".")
    page = posixpath.normpath(posixpath.join(to_root, "playground.html"))
    images = Path(self.builder.outdir) / "_images"
    images.mkdir(parents=True, exist_ok=True)
    source = Path(app.config.book_build_dir) / "playground"
    for mode in ("light", "dark"):
        name = f"{node['figure']}-{mode}.png"
        if not (images / name).is_file():
            shutil.copyfile(source / name, images / name)
    objective = labels[config.objective]
    names = ", ".join(setup["names"][o] for o in config.optimizers)
    x, y = (_num(round(v, 3)) for v in config.start)
    alt = labels["static_alt"].format(names=names, x=x, y=y, objective=objective)
    classes = "pg pg-compact" if node["compact"] else "pg"
    src = posixpath.join(to_root, "_images", node["figure"])
    self.body.append(
        f'<div class="{classes}" data-config="{_attr(config.query())}" '
        f'data-page="{_attr(page)}" data-setup="{_attr(json.dumps(setup, ensure_ascii=False))}">'
        '<noscript><figure class="pg-static figure-variants">'
        f'<img class="only-light" src="{src}-light.png" alt="{_attr(alt)}" width="960" '
        f'height="450"><img class="only-dark" src="{src}-dark.png" alt="{_attr(alt)}" '
        f'width="960" height="450"><figcaption><p>{_attr(labels["static_note"])}</p>'
        "</figcaption></figure></noscript>"
    )


def depart_playground_html(self, node: playground) -> None:
    self.body.append("</div>\n")


def _skip(self, node: nodes.Node) -> None:
    raise nodes.SkipNode


def _add_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The stylesheet and the module on the pages that have a playground, only there.

    Where every playground is an embed (``:compact:``, a chapter's "Try it" below the fold),
    the module and the two it imports are fetched once the page has loaded, not beside the
    stylesheets before the first paint, where a phone's slow link shares its bandwidth among
    them (issue 16: measured on the Adam chapter with Lighthouse's mobile preset). The
    playground's own page, where it is the first thing shown, loads it at once.
    """
    if doctree is None:
        return
    nodes = list(doctree.findall(playground))
    if not nodes:
        return
    app.add_css_file("playground/playground.css")
    if not all(node["compact"] for node in nodes):
        app.add_js_file("playground/playground.js", type="module")
        return
    url = context["pathto"]("_static/playground/playground.js", 1)
    url = url if url.startswith(".") else f"./{url}"  # import() needs a relative URL, not a name
    app.add_js_file(None, body=f'addEventListener("load", () => import({json.dumps(url)}));')


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("book_notebooks")  # book_build_dir
    app.add_node(
        playground,
        html=(visit_playground_html, depart_playground_html),
        latex=(_skip, None),
        text=(_skip, None),
        man=(_skip, None),
        texinfo=(_skip, None),
    )
    app.add_directive("playground", PlaygroundDirective)
    app.setup_extension("notebook_downloads")
    notebook_downloads.register_directive("playground", download_markdown(app))
    app.connect("html-page-context", _add_assets)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
