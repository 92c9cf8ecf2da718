package org.aevlp.common.npy;

import java.util.Optional;

/**
 * The element types {@link NpyReader} understands, each with the little-endian (or byte-order
 * free) NumPy type string it is written as. Fixed-width unicode is {@code <U<n>}: n UTF-32LE code
 * units per element, so its item size is {@code 4 * n} and is carried by the array, not here.
 */
public enum NpyDtype {
  FLOAT64("<f8", 8),
  FLOAT32("<f4", 4),
  BOOL("|b1", 1),
  INT64("<i8", 8),
  INT32("<i4", 4),
  INT8("|i1", 1),
  UINT8("|u1", 1),
  UNICODE("<U", 4);

  /** The supported type strings, for error messages. */
  static final String SUPPORTED = "<f8, <f4, |b1, <i8, <i4, |i1, |u1, <U<n>";

  private final String descr;
  private final int unitSize;

  NpyDtype(String descr, int unitSize) {
    this.descr = descr;
    this.unitSize = unitSize;
  }

  /** The type string NumPy writes, e.g. {@code <f8}; for unicode only the {@code <U} prefix. */
  public String descr() {
    return descr;
  }

  /** Bytes per element; for unicode, bytes per code point (an element is width times that). */
  public int unitSize() {
    return unitSize;
  }

  /** Whether elements convert to numbers ({@code double}/{@code float}). */
  public boolean isNumeric() {
    return this != UNICODE;
  }

  /**
   * Finds the fixed-size dtype for a type string without its byte-order character, e.g. {@code f8}
   * or {@code b1}. Unicode ({@code U<n>}) is not looked up here because it carries a width.
   */
  static Optional<NpyDtype> ofFixedCode(String code) {
    for (NpyDtype dtype : values()) {
      if (dtype != UNICODE && dtype.descr.substring(1).equals(code)) {
        return Optional.of(dtype);
      }
    }
    return Optional.empty();
  }
}
