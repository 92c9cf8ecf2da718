package org.aevlp.common.npy;

import static org.aevlp.common.npy.NpyFixtures.fixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyWriterTest {

  @TempDir Path tmp;

  @Test
  void float64MatrixIsByteIdenticalToNumpyAndReadsBack() throws IOException {
    double[] values = {0.0, 1.0, -2.5, 1e-300, 3.141592653589793, 1e300};
    Path file = tmp.resolve("f8.npy");
    NpyWriter.writeFloat64(file, values, 2, 3);

    assertArrayEquals(Files.readAllBytes(fixture("writer_float64.npy")), Files.readAllBytes(file));
    NpyArray back = NpyReader.read(file);
    assertEquals(List.of(2, 3), back.shape());
    assertArrayEquals(values, back.toDoubles());
  }

  @Test
  void float32MatrixIsByteIdenticalToNumpyAndReadsBack() throws IOException {
    float[] values = {0.5f, -1.25f, 3.0f, 1e-7f};
    Path file = tmp.resolve("f4.npy");
    NpyWriter.writeFloat32(file, values, 2, 2);

    assertArrayEquals(Files.readAllBytes(fixture("writer_float32.npy")), Files.readAllBytes(file));
    assertArrayEquals(values, NpyReader.read(file).toFloats());
  }

  @Test
  void unicodeVectorIsByteIdenticalToNumpyAndReadsBack() throws IOException {
    List<String> values = List.of("a.jpg", "dir/é.png", "猫/😀.jpeg", "");
    Path file = tmp.resolve("u.npy");
    NpyWriter.writeUnicode(file, values);

    assertArrayEquals(Files.readAllBytes(fixture("writer_unicode.npy")), Files.readAllBytes(file));
    assertEquals(values, NpyReader.read(file).toStrings());
  }

  @Test
  void emptyAndLongShapesGetNumpysHeaderPadding() throws IOException {
    Path empty = tmp.resolve("empty.npy");
    NpyWriter.writeFloat64(empty, new double[0], 0, 3);
    assertArrayEquals(Files.readAllBytes(fixture("writer_empty.npy")), Files.readAllBytes(empty));

    Path longCols = tmp.resolve("cols.npy");
    NpyWriter.writeFloat32(longCols, new float[0], 0, 123456789);
    assertArrayEquals(Files.readAllBytes(fixture("writer_long_cols.npy")), Files.readAllBytes(longCols));

    Path longRows = tmp.resolve("rows.npy");
    NpyWriter.writeFloat64(longRows, new double[0], 123456789, 0);
    assertArrayEquals(Files.readAllBytes(fixture("writer_long_rows.npy")), Files.readAllBytes(longRows));
  }

  @Test
  void randomMatricesRoundTripBitForBit() throws IOException {
    SplittableRandom random = new SplittableRandom(7);
    double[] values = new double[37 * 5];
    for (int i = 0; i < values.length; i++) {
      values[i] = Double.longBitsToDouble(random.nextLong());
    }
    values[0] = -0.0;
    Path file = tmp.resolve("random.npy");
    NpyWriter.writeFloat64(file, values, 37, 5);

    double[] back = NpyReader.read(file).toDoubles();
    for (int i = 0; i < values.length; i++) {
      assertEquals(Double.doubleToRawLongBits(values[i]), Double.doubleToRawLongBits(back[i]), "element " + i);
    }
  }

  @Test
  void rejectsValueCountThatDoesNotMatchShape() {
    IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class, () -> NpyWriter.writeFloat64(tmp.resolve("x.npy"), new double[5], 2, 3));
    assertEquals("matrix of 2 x 3 needs 6 values, got 5", e.getMessage());
  }
}
