"""Every public name documents itself: a docstring with an example (and the math, for updates)."""

import inspect
import re
import tomllib
from pathlib import Path

import pytest
from optimizer_cases import CLASSES

import adam_tutorial
from adam_tutorial import objectives, plotting, schedules
from adam_tutorial.optimizers import Optimizer

ROOT = Path(__file__).resolve().parents[1]

PUBLIC = {
    f"adam_tutorial.{name}": getattr(adam_tutorial, name)
    for name in adam_tutorial.__all__
    if not inspect.ismodule(getattr(adam_tutorial, name))
}
PUBLIC |= {f"adam_tutorial.plotting.{n}": getattr(plotting, n) for n in plotting.__all__}
PUBLIC |= {f"adam_tutorial.objectives.{n}": getattr(objectives, n) for n in objectives.__all__}
PUBLIC |= {f"adam_tutorial.schedules.{n}": getattr(schedules, n) for n in schedules.__all__}
OPTIMIZERS = {
    n: obj
    for n, obj in PUBLIC.items()
    if inspect.isclass(obj) and issubclass(obj, Optimizer) and obj is not Optimizer
}
CALLABLES = {
    n: obj
    for n, obj in PUBLIC.items()
    if (inspect.isfunction(obj) or inspect.isclass(obj))
    and not n.endswith("State")
    and obj is not Optimizer
}


def test_public_names_are_complete():
    expected = {"SGD", "Adagrad", "RMSprop", "Adam", "AdamW", "Adamax", "NAdam", "run"}
    assert expected <= set(adam_tutorial.__all__)
    assert {cls.__name__ for cls in OPTIMIZERS.values()} == set(CLASSES)


def test_api_page_lists_every_optimizer_and_its_state():
    listed = set(re.findall(r"^   (\w+)$", (ROOT / "docs" / "api.md").read_text(), re.MULTILINE))
    assert {"Optimizer", *CLASSES} <= listed
    assert {cls._state.__name__ for cls in CLASSES.values()} <= listed


def test_schedules_document_their_formula_and_torch_class():
    for name in schedules.__all__:
        cls = getattr(schedules, name)
        if cls is not schedules.Schedule:
            doc = inspect.getdoc(cls)
            assert ".. math::" in doc
            assert f"torch.optim.lr_scheduler.{name}" in doc


def test_version_is_the_one_in_pyproject():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert adam_tutorial.__version__ == pyproject["project"]["version"]


@pytest.mark.parametrize("name", PUBLIC)
def test_public_name_has_a_docstring(name):
    doc = inspect.getdoc(PUBLIC[name])
    assert doc
    assert len(doc.splitlines()[0]) > 10


@pytest.mark.parametrize("name", CALLABLES)
def test_public_callable_has_a_runnable_example(name):
    doc = inspect.getdoc(CALLABLES[name])
    assert "Examples\n--------" in doc or ">>>" in doc
    assert ">>> " in doc


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_optimizer_documents_its_update_and_torch(name):
    cls = OPTIMIZERS[name]
    doc = inspect.getdoc(cls)
    assert ".. math::" in doc
    assert f"torch.optim.{cls.__name__}" in doc
    assert "w_t" in doc  # the parameter update itself
    for method in ("init", "step"):
        assert ">>> " in inspect.getdoc(getattr(cls, method))
