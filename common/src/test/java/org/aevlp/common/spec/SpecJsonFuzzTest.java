package org.aevlp.common.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.FieldDescriptor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.aevlp.proto.v1.ExperimentSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzing of the spec JSON reader (docs/RELIABILITY.md, "Bad input"): {@link RandomSpecText}
 * documents and files, 10,000 of each by default ({@code -Daevlp.fuzz.cases=N}, seed {@code
 * -Daevlp.fuzz.seed=S}). Whatever comes in, reading either succeeds or throws {@link
 * SpecException} whose every problem names a spec field, the offending key, or a position in the
 * source; nothing else is thrown (no runtime exception, stack overflow or out-of-memory) and no case
 * is slow.
 */
class SpecJsonFuzzTest {

  static final int CASES = Integer.getInteger("aevlp.fuzz.cases", 10_000);
  static final long SEED = Long.getLong("aevlp.fuzz.seed", 20_261_126L);

  private static final String SOURCE = "fuzz.json";
  private static final Set<String> FIELD_NAMES =
      ExperimentSpec.getDescriptor().getFields().stream().map(FieldDescriptor::getName).collect(Collectors.toSet());
  /** A case slower than this is a hang in the making (they take microseconds to milliseconds). */
  private static final long SLOW_CASE_NANOS = 2_000_000_000L;
  private static final Pattern POSITION = Pattern.compile("line \\d+, column \\d+|at byte \\d+|must be a JSON object");

  @TempDir Path temp;

  @Test
  void loadingAnyTextEitherSucceedsOrNamesTheProblem() {
    SpecLoader loader = SpecLoader.builtIn();
    RandomSpecText texts = new RandomSpecText(SEED);
    Tally tally = new Tally();
    for (int i = 0; i < CASES; i++) {
      String json = texts.text();
      String where = "case " + i + " of seed " + SEED + ": " + abbreviate(json);
      long start = System.nanoTime();
      try {
        loader.load(json, SOURCE);
        tally.accepted++;
      } catch (SpecException e) {
        requireNamedProblems(e, SOURCE, where);
        tally.refused++;
      } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
        throw new AssertionError("loading threw " + e + " for " + where, e);
      }
      requireQuick(start, where);
    }
    assertEquals(CASES, tally.accepted + tally.refused);
    assertTrue(tally.accepted > 0 && tally.refused > 0, "both outcomes reached: " + tally);
    System.out.printf("spec text fuzz: %d cases, %d accepted, %d refused%n", CASES, tally.accepted, tally.refused);
  }

  @Test
  void readingAnyFileEitherSucceedsOrNamesTheProblem() throws IOException {
    Path file = temp.resolve("fuzz.json");
    RandomSpecText texts = new RandomSpecText(SEED + 1);
    Tally tally = new Tally();
    for (int i = 0; i < CASES; i++) {
      byte[] bytes = texts.bytes();
      Files.write(file, bytes);
      String where = "case " + i + " of seed " + (SEED + 1) + ": "
          + abbreviate(new String(bytes, StandardCharsets.ISO_8859_1));
      long start = System.nanoTime();
      try {
        SpecJson.parse(file);
        tally.accepted++;
      } catch (SpecException e) {
        requireNamedProblems(e, file.toString(), where);
        tally.refused++;
      } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
        throw new AssertionError("reading threw " + e + " for " + where, e);
      }
      requireQuick(start, where);
    }
    assertTrue(tally.accepted > 0 && tally.refused > 0, "both outcomes reached: " + tally);
    System.out.printf("spec file fuzz: %d cases, %d accepted, %d refused%n", CASES, tally.accepted, tally.refused);
  }

  @Test
  void bytesThatAreNotUtf8AreRefusedWithTheirOffset() throws IOException {
    Path file = temp.resolve("latin1.json");
    Files.write(file, "{\"name\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
    SpecException e = org.junit.jupiter.api.Assertions.assertThrows(SpecException.class, () -> SpecJson.parse(file));
    assertEquals("not UTF-8 text: invalid byte sequence at byte 13", e.problems().get(0).rule());
  }

  @Test
  void nestingBeyondTheLimitIsRefusedWithItsPosition() {
    SpecException e = org.junit.jupiter.api.Assertions.assertThrows(SpecException.class,
        () -> SpecJson.parse("{\"beta\": " + "[".repeat(5_000) + "}", SOURCE));
    String rule = e.problems().get(0).rule();
    assertTrue(rule.startsWith("malformed JSON at line 1, column "), rule);
    assertTrue(rule.contains("nesting depth") && !rule.contains("StreamReadConstraints"), rule);
  }

  private static void requireNamedProblems(SpecException e, String source, String where) {
    assertFalse(e.problems().isEmpty(), where);
    for (SpecProblem problem : e.problems()) {
      assertFalse(problem.rule().isBlank(), where);
      String field = problem.field();
      if (field.equals(source)) {
        assertTrue(POSITION.matcher(problem.rule()).find(), "a document problem names a position: " + problem
            + " for " + where);
      } else if (!FIELD_NAMES.contains(field)) {
        assertTrue(problem.rule().startsWith("unknown key"), "names a spec field or an unknown key: " + problem
            + " for " + where);
      }
    }
  }

  private static void requireQuick(long start, String where) {
    long took = System.nanoTime() - start;
    assertTrue(took < SLOW_CASE_NANOS, "took " + took / 1_000_000 + " ms for " + where);
  }

  private static String abbreviate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "... (" + text.length() + " chars)";
  }

  private static final class Tally {
    int accepted;
    int refused;

    @Override
    public String toString() {
      return accepted + " accepted, " + refused + " refused";
    }
  }
}
