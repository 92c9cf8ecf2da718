#!/usr/bin/env python3
"""Writes the .npy fixtures of NpyReaderTest and NpyWriterTest into this directory.

Run from anywhere: python3 make_fixtures.py (needs numpy). The generated files are committed, so
the Java tests never need Python; rerun this only to change a fixture. The values here are the
ones the tests assert, so keep the two in step.
"""
import os

import numpy as np
from numpy.lib import format as npformat

HERE = os.path.dirname(os.path.abspath(__file__))


def save(name, array):
    np.save(os.path.join(HERE, name), array, allow_pickle=False)


def save_version(name, array, version):
    with open(os.path.join(HERE, name), "wb") as f:
        npformat.write_array(f, array, version=version, allow_pickle=False)


# --- read by NpyReaderTest ---------------------------------------------------------------------
save("unicode_paths.npy", np.array(["images/café.jpg", "train/日本語/0001.png", "x/😀.jpg", "a"]))
save("float64_matrix.npy", np.array([[1.5, -2.0, 0.0, 1e-10],
                                     [3.0, 4.25, -0.5, 1e10],
                                     [0.0, 1.0, 0.0, 1.0]], dtype="<f8"))
save("float32_matrix.npy", np.array([[0.1, -0.2, 0.3], [1.0, 2.0, 3.0]], dtype="<f4"))
save("bool_matrix.npy", np.array([[True, False, True], [False, False, True]]))
save("int64_matrix.npy", np.array([[-3, 0, 2 ** 40], [7, -1, 5]], dtype="<i8"))
save("int32_matrix.npy", np.array([[-2147483648, 0, 2147483647]], dtype="<i4"))
save("int8_matrix.npy", np.array([[-128, 0, 127]], dtype="i1"))
save("uint8_matrix.npy", np.array([[0, 128, 255]], dtype="u1"))
save("float64_vector.npy", np.array([0.25, 0.5, 0.75, 1.0, 1.25]))
save("empty_matrix.npy", np.zeros((0, 4)))
save("fortran_order.npy", np.asfortranarray(np.arange(6.0).reshape(2, 3)))
save("big_endian.npy", np.arange(4.0).astype(">f8"))
save("complex_matrix.npy", np.zeros((2, 2), dtype=complex))
save("rank3.npy", np.zeros((2, 2, 2)))
save_version("version2.npy", np.arange(6.0).reshape(2, 3), (2, 0))
save_version("version3.npy", np.array(["ü", "xyz"]), (3, 0))

# --- a tiny formatted SPML dataset, as numpy-based preprocessing writes it (FormattedSpmlLoaderTest)
# train: 6 images x 4 classes, plain observed name; val: 3 images, observed under a biased name
SPML = os.path.join(HERE, "spml_tiny")
os.makedirs(SPML, exist_ok=True)
np.save(os.path.join(SPML, "formatted_train_images.npy"),
        np.array(["JPEGImages/2008_000001.jpg", "JPEGImages/été.jpg", "JPEGImages/c.jpg",
                  "JPEGImages/d.jpg", "JPEGImages/e.jpg", "JPEGImages/f.jpg"]))
np.save(os.path.join(SPML, "formatted_train_labels.npy"),
        np.array([[1, 0, 0, 1], [0, 1, 0, 0], [1, 1, 1, 0], [0, 0, 0, 1], [0, 0, 1, 1], [1, 0, 0, 0]],
                 dtype=np.float64))
np.save(os.path.join(SPML, "formatted_train_labels_obs.npy"),
        np.array([[0, 0, 0, 1], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [0, 0, 1, 0], [1, 0, 0, 0]],
                 dtype=np.float64))
np.save(os.path.join(SPML, "formatted_val_images.npy"),
        np.array(["JPEGImages/v1.jpg", "JPEGImages/v2.jpg", "JPEGImages/v3.jpg"]))
np.save(os.path.join(SPML, "formatted_val_labels.npy"),
        np.array([[0, 1, 1, 0], [1, 0, 0, 0], [0, 0, 0, 1]], dtype=np.float64))
np.save(os.path.join(SPML, "formatted_val_uniform_labels_obs.npy"),
        np.array([[0, -1, 1, 0], [1, 0, 0, 0], [0, 0, 0, 1]], dtype=np.float64))

# --- numpy's bytes for the arrays NpyWriterTest writes -----------------------------------------
save("writer_float64.npy", np.array([[0.0, 1.0, -2.5], [1e-300, 3.141592653589793, 1e300]]))
save("writer_float32.npy", np.array([[0.5, -1.25], [3.0, 1e-7]], dtype="<f4"))
save("writer_unicode.npy", np.array(["a.jpg", "dir/é.png", "猫/😀.jpeg", ""]))
save("writer_empty.npy", np.zeros((0, 3)))
# zero-element arrays with long dimensions exercise the header padding rule without bulk data
save("writer_long_cols.npy", np.zeros((0, 123456789), dtype="<f4"))
save("writer_long_rows.npy", np.zeros((123456789, 0), dtype="<f8"))
