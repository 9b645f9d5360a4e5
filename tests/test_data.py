"""The vendored digits: the file, the loader and the book's fixed stratified split."""

import hashlib
import inspect
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

import adam_tutorial
from adam_tutorial import data, models
from adam_tutorial.data import DIGITS_SHA256, Split, digits_split, load_digits, stratified_split

PACKAGE_DATA = Path(data.__file__).parent
CLASS_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_vendored_file_is_scikit_learns_byte_for_byte():
    raw = resources.files(data).joinpath("digits.csv.gz").read_bytes()
    assert len(raw) == 57523
    assert hashlib.sha256(raw).hexdigest() == DIGITS_SHA256


def test_licence_and_provenance_sit_beside_the_file():
    text = (PACKAGE_DATA / "digits-LICENSE.txt").read_text(encoding="utf-8")
    assert DIGITS_SHA256 in text
    assert "scikit-learn 1.9.1" in text
    assert "BSD 3-Clause License" in text
    assert "Copyright (c) 2007-2026 The scikit-learn developers." in text
    assert "UCI Machine Learning Repository" in text


def test_loader_returns_1797_images_of_64_pixels_in_unit_interval_with_10_classes():
    x, y = load_digits()
    assert x.shape == (1797, 64)
    assert y.shape == (1797,)
    assert x.dtype == np.float64
    assert y.dtype == np.int64
    assert x.min() == 0.0
    assert x.max() == 1.0
    np.testing.assert_array_equal(np.unique(y), np.arange(10))
    assert np.bincount(y).tolist() == CLASS_COUNTS
    # pixel counts 0..16, divided by 16 exactly
    np.testing.assert_array_equal(x * 16, np.round(x * 16))


def test_loader_values_match_the_first_rows_of_the_csv():
    x, y = load_digits()
    first = [0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0]
    np.testing.assert_array_equal(x[0, :16] * 16, first)
    assert y[:5].tolist() == [0, 1, 2, 3, 4]
    assert float(x.sum() * 16) == 561718.0  # every pixel count of the file, added up


def test_loader_keeps_float32_and_returns_read_only_arrays():
    x32, y32 = load_digits(np.float32)
    x64, _ = load_digits()
    assert x32.dtype == np.float32
    np.testing.assert_array_equal(x32, x64.astype(np.float32))
    for a in (x32, y32, x64):
        assert not a.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            a[0] = 1


@pytest.mark.parametrize("dtype", [np.int64, "float16", None, "nonsense"])
def test_loader_rejects_other_dtypes(dtype):
    with pytest.raises(TypeError, match=r"dtype must be numpy\.float32 or numpy\.float64"):
        load_digits(dtype)


def test_split_has_1347_training_and_450_test_images():
    s = digits_split()
    assert isinstance(s, Split)
    assert s.x_train.shape == (1347, 64)
    assert s.y_train.shape == (1347,)
    assert s.x_test.shape == (450, 64)
    assert s.y_test.shape == (450,)
    for a in s:
        assert not a.flags.writeable


def test_split_is_stratified():
    s = digits_split()
    test_counts = np.bincount(s.y_test, minlength=10)
    train_counts = np.bincount(s.y_train, minlength=10)
    np.testing.assert_array_equal(test_counts + train_counts, CLASS_COUNTS)
    expected = np.array(CLASS_COUNTS) * 450 / 1797
    assert np.all(np.abs(test_counts - expected) < 1)
    assert test_counts.tolist() == [45, 46, 44, 46, 45, 46, 45, 45, 43, 45]


def test_split_is_a_partition_of_the_images_in_their_order():
    x, y = load_digits()
    train, test = stratified_split(y, 450, 0)
    assert len(np.intersect1d(train, test)) == 0
    np.testing.assert_array_equal(np.sort(np.concatenate([train, test])), np.arange(1797))
    assert np.all(np.diff(train) > 0)
    assert np.all(np.diff(test) > 0)
    s = digits_split()
    np.testing.assert_array_equal(s.x_train, x[train])
    np.testing.assert_array_equal(s.y_test, y[test])


def test_split_is_the_same_on_every_machine():
    # Recorded once; PCG64's raw stream and integer arithmetic make it platform-independent.
    _, y = load_digits()
    _, test = stratified_split(y, 450, 0)
    assert test[:12].tolist() == [1, 2, 3, 11, 13, 15, 20, 21, 32, 46, 48, 53]
    assert int(test.sum()) == 412_438
    assert int((test * np.arange(1, 451)).sum()) == 122_917_971


def test_split_is_deterministic_and_depends_on_the_seed():
    _, y = load_digits()
    a = stratified_split(y, 450, 0)
    b = stratified_split(y.copy(), 450, 0)
    c = stratified_split(y, 450, 1)
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[1], c[1])
    assert np.bincount(y[c[1]]).tolist() == np.bincount(y[a[1]]).tolist()
    assert digits_split() is digits_split()  # cached: the same read-only arrays


def test_split_in_float32():
    s32, s64 = digits_split(np.float32), digits_split()
    assert s32.x_train.dtype == np.float32
    np.testing.assert_array_equal(s32.y_test, s64.y_test)


def test_stratified_split_gives_leftover_places_to_largest_remainders():
    labels = np.array([0] * 5 + [1] * 3 + [2] * 2)
    _, test = stratified_split(labels, test_size=3, seed=0)
    # exact shares 1.5, 0.9, 0.6: floors 1, 0, 0; the two left go to classes 1 and 2
    assert np.bincount(labels[test], minlength=3).tolist() == [1, 1, 1]


def test_stratified_split_does_not_modify_its_input():
    _, y = load_digits()
    labels = y.copy()
    stratified_split(labels, 450, 0)
    np.testing.assert_array_equal(labels, y)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"test_size": 0}, ValueError, r"test_size must be an int in \[1, 1796\], got 0"),
        ({"test_size": 1797}, ValueError, r"test_size must be an int in \[1, 1796\], got 1797"),
        ({"test_size": 0.25}, TypeError, r"test_size must be an int in \[1, 1796\], got 0.25"),
        ({"test_size": True}, TypeError, r"test_size must be an int"),
        ({"seed": -1}, ValueError, r"seed must be an int in \[0, "),
        ({"seed": 1.5}, TypeError, r"seed must be an int"),
        ({"dtype": np.int32}, TypeError, r"dtype must be numpy.float32 or numpy.float64"),
    ],
)
def test_split_errors_name_the_parameter_and_range(kwargs, error, message):
    with pytest.raises(error, match=message):
        digits_split(**kwargs)


def test_stratified_split_rejects_labels_that_are_not_1d_integers():
    with pytest.raises(TypeError, match=r"labels must be a 1-D array of integers"):
        stratified_split(np.zeros(10), 2, 0)
    with pytest.raises(TypeError, match=r"labels must be a 1-D array of integers"):
        stratified_split(np.zeros((5, 2), dtype=int), 2, 0)


PUBLIC = {f"adam_tutorial.data.{n}": getattr(data, n) for n in data.__all__}
PUBLIC |= {f"adam_tutorial.models.{n}": getattr(models, n) for n in models.__all__}


@pytest.mark.parametrize("name", [n for n, o in PUBLIC.items() if callable(o)])
def test_public_name_has_a_docstring_with_an_example(name):
    doc = inspect.getdoc(PUBLIC[name])
    assert len(doc.splitlines()[0]) > 10
    assert ">>> " in doc


def test_modules_are_exported_from_the_package():
    assert {"data", "models"} <= set(adam_tutorial.__all__)
    assert adam_tutorial.data is data
    assert adam_tutorial.models is models
