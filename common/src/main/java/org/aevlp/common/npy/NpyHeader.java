package org.aevlp.common.npy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed header of a {@code .npy} file.
 *
 * @param version format major version (1, 2 or 3)
 * @param descr the type string as written, e.g. {@code <f8} or {@code <U12}
 * @param dtype the element type
 * @param itemSize bytes per element ({@code 4 * width} for unicode)
 * @param shape dimensions, C order (1 or 2 of them)
 * @param dataOffset byte offset of the first element in the file
 */
public record NpyHeader(
    int version, String descr, NpyDtype dtype, int itemSize, List<Integer> shape, long dataOffset) {

  private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

  public NpyHeader {
    shape = List.copyOf(shape);
  }

  /** Number of elements (product of the shape). */
  public long elementCount() {
    long count = 1;
    for (int dim : shape) {
      count *= dim;
    }
    return count;
  }

  /** Number of data bytes the header promises. */
  public long dataBytes() {
    return elementCount() * itemSize;
  }

  /** Checks the header dict against the rules this reader supports and builds the header. */
  static NpyHeader interpret(Map<String, Object> dict, int version, long dataOffset, Path file)
      throws NpyFormatException {
    if (!dict.keySet().equals(KEYS)) {
      throw new NpyFormatException(
          file, "header must have exactly the keys descr, fortran_order and shape, found " + dict.keySet());
    }
    if (!(dict.get("fortran_order") instanceof Boolean fortranOrder)) {
      throw new NpyFormatException(file, "header field fortran_order must be True or False");
    }
    if (fortranOrder) {
      throw new NpyFormatException(
          file,
          "fortran_order is True (column-major data) which is not supported;"
              + " save a C-order array (numpy.ascontiguousarray)");
    }
    List<Integer> shape = shape(dict.get("shape"), file);
    Object descrValue = dict.get("descr");
    if (!(descrValue instanceof String descr)) {
      throw new NpyFormatException(
          file, "unsupported dtype " + descrValue + " (structured dtypes are not read); supported: "
              + NpyDtype.SUPPORTED);
    }
    NpyHeader header = ofDescr(descr, version, shape, dataOffset, file);
    if (header.dataBytes() > Integer.MAX_VALUE) {
      throw new NpyFormatException(
          file, "array of " + header.dataBytes() + " bytes is too large (at most 2 GiB per file is read)");
    }
    return header;
  }

  private static List<Integer> shape(Object value, Path file) throws NpyFormatException {
    if (!(value instanceof NpyHeaderParser.Tuple tuple)) {
      throw new NpyFormatException(file, "header field shape must be a tuple of integers, found " + value);
    }
    List<Integer> dims = new ArrayList<>();
    long product = 1;
    for (Object item : tuple.items()) {
      if (!(item instanceof Long dim) || dim < 0 || dim > Integer.MAX_VALUE) {
        throw new NpyFormatException(
            file, "header field shape must hold integers in [0, 2^31), found " + item);
      }
      product = Math.multiplyExact(product, dim.longValue());
      dims.add(dim.intValue());
    }
    if (dims.size() != 1 && dims.size() != 2) {
      throw new NpyFormatException(
          file, "arrays of rank " + dims.size() + " (shape " + dims + ") are not supported; only 1-D and 2-D");
    }
    if (product > Integer.MAX_VALUE) {
      throw new NpyFormatException(file, "array of " + product + " elements is too large");
    }
    return dims;
  }

  private static NpyHeader ofDescr(
      String descr, int version, List<Integer> shape, long dataOffset, Path file) throws NpyFormatException {
    if (descr.length() < 2) {
      throw unsupported(descr, file);
    }
    char order = descr.charAt(0);
    String code = descr.substring(1);
    if (order == '>') {
      throw new NpyFormatException(
          file, "big-endian dtype '" + descr + "' is not supported; save it little-endian"
              + " (array.astype('<" + code + "'))");
    }
    if (code.startsWith("U") && order == '<') {
      int width = unicodeWidth(descr, file);
      return new NpyHeader(version, descr, NpyDtype.UNICODE, 4 * width, shape, dataOffset);
    }
    NpyDtype dtype = NpyDtype.ofFixedCode(code).orElseThrow(() -> unsupported(descr, file));
    // one-byte types have no byte order: NumPy writes '|', '<' is harmless; multi-byte need '<'
    boolean orderOk = dtype.unitSize() == 1 ? order == '|' || order == '<' : order == '<';
    if (!orderOk) {
      throw unsupported(descr, file);
    }
    return new NpyHeader(version, descr, dtype, dtype.unitSize(), shape, dataOffset);
  }

  private static int unicodeWidth(String descr, Path file) throws NpyFormatException {
    String digits = descr.substring(2);
    if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || digits.length() > 9) {
      throw unsupported(descr, file);
    }
    int width = Integer.parseInt(digits);
    if (width > Integer.MAX_VALUE / 4) {
      throw new NpyFormatException(file, "unicode width " + width + " in dtype '" + descr + "' is too large");
    }
    return width;
  }

  private static NpyFormatException unsupported(String descr, Path file) {
    return new NpyFormatException(
        file, "unsupported dtype '" + descr + "'; supported: " + NpyDtype.SUPPORTED);
  }
}
