r"""Real data, shipped with the package: the 8x8 handwritten digits and a fixed train/test split.

The 1797 images are scikit-learn's copy of the test set of the UCI "Optical Recognition of
Handwritten Digits" data (Alpaydin and Kaynak, 1998), vendored as ``digits.csv.gz`` (57 KB)
with its licence and provenance in ``digits-LICENSE.txt`` beside it, so nothing is downloaded
and scikit-learn is not needed. Each image is 64 pixel counts in ``0..16``, scaled here to
:math:`[0, 1]` by dividing by 16.

Examples
--------
>>> from adam_tutorial.data import digits_split, load_digits
>>> x, y = load_digits()
>>> x.shape, y.shape, float(x.min()), float(x.max())
((1797, 64), (1797,), 0.0, 1.0)
>>> split = digits_split()
>>> split.x_train.shape, split.x_test.shape
((1347, 64), (450, 64))
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import numbers
from importlib import resources
from typing import NamedTuple

import numpy as np

__all__ = [
    "DIGITS_SHA256",
    "Split",
    "digits_split",
    "load_digits",
    "stratified_split",
]

#: SHA-256 of the vendored ``digits.csv.gz`` (scikit-learn 1.9.1's file, byte for byte);
#: :func:`load_digits` refuses a file that does not match.
DIGITS_SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


class Split(NamedTuple):
    """A data set cut into a training and a test part; every array is read-only.

    Attributes
    ----------
    x_train : numpy.ndarray
        Shape ``(n_train, n_features)``: the training inputs.
    y_train : numpy.ndarray
        Shape ``(n_train,)``, integers: the training labels.
    x_test : numpy.ndarray
        Shape ``(n_test, n_features)``: the test inputs.
    y_test : numpy.ndarray
        Shape ``(n_test,)``, integers: the test labels.

    Examples
    --------
    >>> from adam_tutorial.data import digits_split
    >>> split = digits_split()
    >>> split.y_train[:10].tolist(), split.x_test.flags.writeable
    ([0, 4, 5, 6, 7, 8, 9, 0, 2, 4], False)
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def _check_dtype(dtype: object) -> np.dtype:
    try:  # np.dtype(None) is float64; here None is a mistake
        dt = None if dtype is None else np.dtype(dtype)  # type: ignore[call-overload]
    except TypeError:
        dt = None
    if dt is None or dt not in _FLOATS:
        msg = f"dtype must be numpy.float32 or numpy.float64, got {dtype!r}"
        raise TypeError(msg)
    return dt


def _read_only(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


@functools.cache
def _digits_counts() -> tuple[np.ndarray, np.ndarray]:
    raw = resources.files(__name__).joinpath("digits.csv.gz").read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != DIGITS_SHA256:
        msg = f"digits.csv.gz has SHA-256 {digest}, expected {DIGITS_SHA256}: the file is damaged"
        raise OSError(msg)
    text = gzip.decompress(raw).decode("ascii")
    table = np.array([[int(v) for v in line.split(",")] for line in text.split()], dtype=np.int64)
    return _read_only(table[:, :64].copy()), _read_only(table[:, 64].copy())


@functools.cache
def _load(dtype: np.dtype) -> tuple[np.ndarray, np.ndarray]:
    counts, labels = _digits_counts()
    return _read_only(counts.astype(dtype) / dtype.type(16)), labels


def load_digits(dtype: type | np.dtype = np.float64) -> tuple[np.ndarray, np.ndarray]:
    r"""The 1797 digit images as pixels in :math:`[0, 1]` and their labels.

    .. math::

        x_{ij} = \frac{c_{ij}}{16}, \qquad c_{ij} \in \{0, 1, \dots, 16\},

    where :math:`c_{ij}` is pixel :math:`j` (row-major, ``x[i].reshape(8, 8)`` is the image)
    of image :math:`i`: the number of ink pixels in a 4x4 block of the 32x32 scan.

    Parameters
    ----------
    dtype : numpy.float32 or numpy.float64
        The features' dtype.

    Returns
    -------
    x : numpy.ndarray
        Shape ``(1797, 64)``, read-only, values in :math:`[0, 1]`.
    y : numpy.ndarray
        Shape ``(1797,)``, read-only, ``int64`` labels ``0..9`` (the digit shown).

    Raises
    ------
    TypeError
        If `dtype` is not float32 or float64.

    Examples
    --------
    >>> import numpy as np
    >>> from adam_tutorial.data import load_digits
    >>> x, y = load_digits(np.float32)
    >>> x.dtype, y.dtype, np.bincount(y).tolist()
    (dtype('float32'), dtype('int64'), [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    >>> print((x[0].reshape(8, 8) * 16).astype(int)[1])   # the top of a 0
    [ 0  0 13 15 10 15  5  0]
    """
    return _load(_check_dtype(dtype))


def _check_int(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        msg = f"{name} must be an int in [{low}, {high}], got {value!r}"
        raise TypeError(msg)
    if not low <= value <= high:
        msg = f"{name} must be an int in [{low}, {high}], got {value}"
        raise ValueError(msg)
    return int(value)


def stratified_split(
    labels: np.ndarray, test_size: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    r"""Indices of a seeded, stratified train/test split, the same on every machine.

    Class :math:`c` with :math:`n_c` of the :math:`n` examples gives
    :math:`\lfloor n_c \, s / n \rfloor` of them to the test set, :math:`s` = `test_size`; the
    few places left go one each to the classes with the largest remainders
    :math:`n_c s \bmod n` (ties to the smaller label). Within a class, the test examples are
    those with the smallest keys, one 64-bit key per example drawn from
    ``numpy.random.PCG64(seed).random_raw(n)``: NumPy keeps the raw streams of its bit
    generators fixed across versions and platforms, and everything else here is integer
    arithmetic, so the split never changes.

    Parameters
    ----------
    labels : array_like
        Shape ``(n,)``, integer class labels.
    test_size : int
        Number of test examples, in ``[1, n - 1]``.
    seed : int
        Seed of the keys, ``>= 0``.

    Returns
    -------
    train, test : numpy.ndarray
        Sorted ``int64`` indices into `labels`, disjoint, together ``0..n-1``.

    Examples
    --------
    >>> import numpy as np
    >>> from adam_tutorial.data import stratified_split
    >>> labels = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    >>> train, test = stratified_split(labels, test_size=4, seed=0)
    >>> labels[test].tolist(), len(train)
    ([0, 0, 1, 1], 4)
    """
    y = np.asarray(labels)
    if y.ndim != 1 or y.dtype.kind not in "iu":
        msg = f"labels must be a 1-D array of integers, got shape {y.shape} and dtype {y.dtype}"
        raise TypeError(msg)
    n = y.shape[0]
    test_size = _check_int("test_size", test_size, 1, n - 1)
    seed = _check_int("seed", seed, 0, 2**63 - 1)
    keys = np.random.PCG64(seed).random_raw(n)
    classes, counts = np.unique(y, return_counts=True)
    take = counts * test_size // n
    remainder = counts * test_size % n
    order = np.argsort(-remainder, kind="stable")  # largest remainder first, ties: smaller label
    take[order[: test_size - int(take.sum())]] += 1
    test = [
        members[np.argsort(keys[members], kind="stable")[:k]]
        for members, k in ((np.flatnonzero(y == c), k) for c, k in zip(classes, take, strict=True))
    ]
    test_idx = np.sort(np.concatenate(test)).astype(np.int64)
    mask = np.ones(n, dtype=bool)
    mask[test_idx] = False
    return np.flatnonzero(mask).astype(np.int64), test_idx


@functools.cache
def _split(dtype: np.dtype, test_size: int, seed: int) -> Split:
    x, y = _load(dtype)
    train, test = stratified_split(y, test_size, seed)
    return Split(*(_read_only(a[idx]) for idx in (train, test) for a in (x, y)))


def digits_split(
    dtype: type | np.dtype = np.float64, *, test_size: int = 450, seed: int = 0
) -> Split:
    """The book's fixed split of :func:`load_digits`: 1347 images to train on, 450 to test.

    The split is :func:`stratified_split` of the labels with ``seed=0``: 25 % of the images
    (as scikit-learn's ``train_test_split`` by default), each digit in the same proportion
    in both parts (43 to 46 test images per digit), the examples in their original order.

    Parameters
    ----------
    dtype : numpy.float32 or numpy.float64
        The features' dtype.
    test_size : int
        Number of test images, in ``[1, 1796]``.
    seed : int
        Seed of the split, ``>= 0``.

    Returns
    -------
    Split
        Read-only arrays; the same object for the same arguments.

    Examples
    --------
    >>> import numpy as np
    >>> from adam_tutorial.data import digits_split
    >>> split = digits_split()
    >>> np.bincount(split.y_test).tolist()
    [45, 46, 44, 46, 45, 46, 45, 45, 43, 45]
    """
    dt = _check_dtype(dtype)
    n = _load(dt)[1].shape[0]
    return _split(
        dt, _check_int("test_size", test_size, 1, n - 1), _check_int("seed", seed, 0, 2**63 - 1)
    )
