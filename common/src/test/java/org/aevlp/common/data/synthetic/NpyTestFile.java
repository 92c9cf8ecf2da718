package org.aevlp.common.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A minimal independent .npy parser for checking what the generator wrote. */
record NpyTestFile(String descr, int[] shape, ByteBuffer data) {

  private static final Pattern DESCR = Pattern.compile("'descr': '([^']+)'");
  private static final Pattern SHAPE = Pattern.compile("'shape': \\(([^)]*)\\)");

  static NpyTestFile read(Path file) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals((byte) 0x93, bytes.get(0));
    assertEquals("NUMPY", new String(bytes.array(), 1, 5, StandardCharsets.US_ASCII));
    int headerLength = Short.toUnsignedInt(bytes.getShort(8));
    String header = new String(bytes.array(), 10, headerLength, StandardCharsets.US_ASCII);
    assertEquals(0, (10 + headerLength) % 64, "data must start on a 64-byte boundary");
    Matcher descr = DESCR.matcher(header);
    Matcher shape = SHAPE.matcher(header);
    if (!descr.find() || !shape.find() || !header.contains("'fortran_order': False")) {
      throw new AssertionError("unexpected npy header: " + header);
    }
    int[] dims =
        Pattern.compile(",").splitAsStream(shape.group(1)).map(String::trim).filter(s -> !s.isEmpty())
            .mapToInt(Integer::parseInt).toArray();
    ByteBuffer data = bytes.position(10 + headerLength).slice().order(ByteOrder.LITTLE_ENDIAN);
    return new NpyTestFile(descr.group(1), dims, data);
  }

  double[][] float64Matrix() {
    assertEquals("<f8", descr);
    double[][] rows = new double[shape[0]][shape[1]];
    for (int i = 0; i < shape[0]; i++) {
      for (int j = 0; j < shape[1]; j++) {
        rows[i][j] = data.getDouble((i * shape[1] + j) * 8);
      }
    }
    assertEquals(shape[0] * shape[1] * 8, data.limit());
    return rows;
  }

  List<String> unicodeVector() {
    if (!descr.startsWith("<U")) {
      throw new AssertionError("expected a <U string array, got " + descr);
    }
    int width = Integer.parseInt(descr.substring(2));
    List<String> values = new ArrayList<>();
    for (int i = 0; i < shape[0]; i++) {
      StringBuilder value = new StringBuilder();
      for (int k = 0; k < width; k++) {
        int codePoint = data.getInt((i * width + k) * 4);
        if (codePoint != 0) {
          value.appendCodePoint(codePoint);
        }
      }
      values.add(value.toString());
    }
    return values;
  }
}
