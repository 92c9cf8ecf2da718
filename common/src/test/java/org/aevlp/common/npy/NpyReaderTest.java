package org.aevlp.common.npy;

import static org.aevlp.common.npy.NpyFixtures.fixture;
import static org.aevlp.common.npy.NpyFixtures.version1;
import static org.aevlp.common.npy.NpyFixtures.withVersion;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyReaderTest {

  @TempDir Path tmp;

  @Test
  void readsUnicodePathsWithNonAsciiCharacters() throws IOException {
    NpyArray array = NpyReader.read(fixture("unicode_paths.npy"));

    assertEquals(NpyDtype.UNICODE, array.dtype());
    assertEquals("<U18", array.descr());
    assertEquals(List.of(4), array.shape());
    assertEquals(
        List.of("images/café.jpg", "train/日本語/0001.png", "x/😀.jpg", "a"), array.toStrings());
  }

  @Test
  void readsFloat64MatrixExactly() throws IOException {
    NpyArray array = NpyReader.read(fixture("float64_matrix.npy"));

    assertEquals(NpyDtype.FLOAT64, array.dtype());
    assertEquals(List.of(3, 4), array.shape());
    assertEquals(3, array.rows());
    assertEquals(4, array.cols());
    double[][] expected = {{1.5, -2.0, 0.0, 1e-10}, {3.0, 4.25, -0.5, 1e10}, {0.0, 1.0, 0.0, 1.0}};
    assertTrue(Arrays.deepEquals(expected, array.toDoubleMatrix()));
    assertEquals(1e10, array.getDouble(1, 3));
    assertEquals(-0.5, array.getDouble(6));
  }

  @Test
  void readsFloat32MatrixAsFloatsAndWidensToDouble() throws IOException {
    NpyArray array = NpyReader.read(fixture("float32_matrix.npy"));

    assertEquals(NpyDtype.FLOAT32, array.dtype());
    float[][] expected = {{0.1f, -0.2f, 0.3f}, {1.0f, 2.0f, 3.0f}};
    assertTrue(Arrays.deepEquals(expected, array.toFloatMatrix()));
    assertEquals((double) 0.1f, array.toDoubleMatrix()[0][0]);
  }

  @Test
  void readsBoolMatrixAsZeroAndOne() throws IOException {
    NpyArray array = NpyReader.read(fixture("bool_matrix.npy"));

    assertEquals("|b1", array.descr());
    assertTrue(Arrays.deepEquals(new double[][] {{1, 0, 1}, {0, 0, 1}}, array.toDoubleMatrix()));
  }

  @Test
  void readsIntegerMatricesAsDoubles() throws IOException {
    assertTrue(Arrays.deepEquals(
        new double[][] {{-3, 0, 1099511627776.0}, {7, -1, 5}},
        NpyReader.read(fixture("int64_matrix.npy")).toDoubleMatrix()));
    assertArrayEquals(
        new double[] {-2147483648.0, 0, 2147483647.0}, NpyReader.read(fixture("int32_matrix.npy")).toDoubles());
    NpyArray int8 = NpyReader.read(fixture("int8_matrix.npy"));
    assertEquals("|i1", int8.descr());
    assertArrayEquals(new double[] {-128, 0, 127}, int8.toDoubles());
    NpyArray uint8 = NpyReader.read(fixture("uint8_matrix.npy"));
    assertEquals("|u1", uint8.descr());
    assertArrayEquals(new float[] {0, 128, 255}, uint8.toFloats());
  }

  @Test
  void readsVectorThroughFlatAccessorsOnly() throws IOException {
    NpyArray array = NpyReader.read(fixture("float64_vector.npy"));

    assertEquals(1, array.rank());
    assertEquals(5, array.rows());
    assertArrayEquals(new double[] {0.25, 0.5, 0.75, 1.0, 1.25}, array.toDoubles());
    IllegalStateException e = assertThrows(IllegalStateException.class, array::toDoubleMatrix);
    assertTrue(e.getMessage().contains("float64_vector.npy"), e.getMessage());
    assertTrue(e.getMessage().contains("needs a 2-D array, this one has shape [5]"), e.getMessage());
  }

  @Test
  void readsEmptyMatrix() throws IOException {
    NpyArray array = NpyReader.read(fixture("empty_matrix.npy"));

    assertEquals(List.of(0, 4), array.shape());
    assertEquals(0, array.toDoubleMatrix().length);
  }

  @Test
  void readsVersion2And3Headers() throws IOException {
    NpyArray v2 = NpyReader.read(fixture("version2.npy"));
    assertTrue(Arrays.deepEquals(new double[][] {{0, 1, 2}, {3, 4, 5}}, v2.toDoubleMatrix()));
    assertEquals(2, NpyReader.readHeader(fixture("version2.npy")).version());

    NpyArray v3 = NpyReader.read(fixture("version3.npy"));
    assertEquals(List.of("ü", "xyz"), v3.toStrings());
    assertEquals(3, NpyReader.readHeader(fixture("version3.npy")).version());
  }

  @Test
  void readHeaderReportsShapeAndOffsetWithoutData() throws IOException {
    NpyHeader header = NpyReader.readHeader(fixture("float64_matrix.npy"));

    assertEquals(List.of(3, 4), header.shape());
    assertEquals(128, header.dataOffset());
    assertEquals(96, header.dataBytes());
    assertEquals(NpyDtype.FLOAT64, header.dtype());
  }

  @Test
  void rejectsFortranOrder() {
    assertRejected(fixture("fortran_order.npy"), "fortran_order is True (column-major data) which is not supported");
  }

  @Test
  void rejectsBigEndian() {
    assertRejected(fixture("big_endian.npy"), "big-endian dtype '>f8' is not supported");
  }

  @Test
  void rejectsUnsupportedDtype() {
    assertRejected(fixture("complex_matrix.npy"), "unsupported dtype '<c16'; supported: <f8, <f4");
  }

  @Test
  void rejectsRankThree() {
    assertRejected(fixture("rank3.npy"), "arrays of rank 3 (shape [2, 2, 2]) are not supported");
  }

  @Test
  void rejectsWrongMagic() throws IOException {
    Path file = write("zip.npy", new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0, 0, 0});
    assertRejected(file, "not a NumPy .npy file");
  }

  @Test
  void rejectsFileShorterThanMagic() throws IOException {
    assertRejected(write("tiny.npy", new byte[] {(byte) 0x93, 'N'}), "not a NumPy .npy file");
  }

  @Test
  void rejectsUnknownFormatVersion() throws IOException {
    byte[] bytes = Files.readAllBytes(fixture("float64_vector.npy"));
    bytes[6] = 4;
    assertRejected(write("v4.npy", bytes), "unsupported .npy format version 4.0");
  }

  @Test
  void rejectsTruncatedData() throws IOException {
    byte[] bytes = Files.readAllBytes(fixture("float64_matrix.npy"));
    Path file = write("short.npy", Arrays.copyOf(bytes, bytes.length - 8));
    assertRejected(file, "truncated data: shape [3, 4] of <f8 needs 96 bytes, the file has 88");
  }

  @Test
  void rejectsTruncatedHeader() throws IOException {
    byte[] bytes = Files.readAllBytes(fixture("float64_matrix.npy"));
    assertRejected(write("cut.npy", Arrays.copyOf(bytes, 40)), "truncated header: it declares 118 bytes");
  }

  @Test
  void rejectsBytesAfterTheData() throws IOException {
    byte[] bytes = Files.readAllBytes(fixture("float64_vector.npy"));
    assertRejected(write("long.npy", Arrays.copyOf(bytes, bytes.length + 3)), "3 unexpected bytes after the data");
  }

  @Test
  void rejectsHeaderWithoutShape() throws IOException {
    Path file = write("noshape.npy", version1("{'descr': '<f8', 'fortran_order': False, }", new byte[0]));
    assertRejected(file, "header must have exactly the keys descr, fortran_order and shape");
  }

  @Test
  void rejectsHeaderThatIsNotADict() throws IOException {
    Path file = write("garbage.npy", version1("descr=<f8", new byte[0]));
    assertRejected(file, "malformed header: expected a dict starting with '{'");
  }

  @Test
  void rejectsHeaderWithUnterminatedString() throws IOException {
    Path file = write("quote.npy", version1("{'descr: '<f8', 'fortran_order': False, 'shape': (1,), }", new byte[8]));
    assertRejected(file, "malformed header");
  }

  @Test
  void rejectsShapeThatIsNotATuple() throws IOException {
    Path file = write("list.npy", version1("{'descr': '<f8', 'fortran_order': False, 'shape': [1], }", new byte[8]));
    assertRejected(file, "header field shape must be a tuple of integers");
  }

  @Test
  void rejectsNegativeDimension() throws IOException {
    Path file = write("neg.npy", version1("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }", new byte[0]));
    assertRejected(file, "header field shape must hold integers in [0, 2^31), found -1");
  }

  @Test
  void readsDoubleQuotedHeaderAndVersion2LengthField() throws IOException {
    byte[] data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(7).putInt(-9).array();
    String dict = "{\"shape\": (2,), \"fortran_order\": False, \"descr\": \"<i4\"}";
    Path file = write("dq.npy", withVersion(2, dict, data));

    assertArrayEquals(new double[] {7, -9}, NpyReader.read(file).toDoubles());
  }

  @Test
  void rejectsCodeUnitOutsideUnicode() throws IOException {
    byte[] data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt('a').putInt(0x110000).array();
    Path file = write("badcp.npy", version1("{'descr': '<U1', 'fortran_order': False, 'shape': (2,), }", data));
    assertRejected(file, "element 1 holds 0x110000, which is not a Unicode code point");
  }

  @Test
  void stripsOnlyTrailingNuls() throws IOException {
    ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    data.putInt('a').putInt(0).putInt('b').putInt(0);
    Path file = write("nul.npy", version1("{'descr': '<U4', 'fortran_order': False, 'shape': (1,), }", data.array()));

    assertEquals(List.of("a\0b"), NpyReader.read(file).toStrings());
  }

  @Test
  void accessorsNameTheFileWhenTheDtypeDoesNotFit() throws IOException {
    NpyArray numbers = NpyReader.read(fixture("float64_matrix.npy"));
    IllegalStateException e = assertThrows(IllegalStateException.class, numbers::toStrings);
    assertTrue(e.getMessage().contains("float64_matrix.npy: toStrings needs a unicode (<U) array, this one is <f8"),
        e.getMessage());

    NpyArray strings = NpyReader.read(fixture("unicode_paths.npy"));
    e = assertThrows(IllegalStateException.class, strings::toDoubles);
    assertTrue(e.getMessage().contains("unicode_paths.npy: toDoubles needs a numeric array, this one is <U18"),
        e.getMessage());
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path file = tmp.resolve(name);
    Files.write(file, bytes);
    return file;
  }

  private static void assertRejected(Path file, String rule) {
    NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpyReader.read(file));
    assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(rule), e.getMessage());
  }
}
