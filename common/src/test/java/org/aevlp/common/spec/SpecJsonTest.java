package org.aevlp.common.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.aevlp.proto.v1.ExperimentSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecJsonTest {

  private static SpecException parseFails(String json) {
    return assertThrows(SpecException.class, () -> SpecJson.parse(json, "test.json"));
  }

  private static SpecProblem onlyProblem(String json) {
    List<SpecProblem> problems = parseFails(json).problems();
    assertEquals(1, problems.size(), problems.toString());
    return problems.get(0);
  }

  @Test
  void readsEachFieldTypeByTheDescriptor() throws SpecException {
    ExperimentSpec spec =
        SpecJson.parse(
                "{\"dataset\": \"pascal\", \"bsize\": 16, \"seed\": 9007199254740993, \"lr\": 1e-5,"
                    + " \"lr_mult\": 10, \"use_pl\": false, \"beta\": [0, 2, -2.5, -2], \"T\": 0.3}",
                "test.json")
            .spec();
    assertEquals("pascal", spec.getDataset());
    assertEquals(16, spec.getBsize());
    assertEquals(9007199254740993L, spec.getSeed());
    assertEquals(1e-5, spec.getLr());
    assertEquals(10.0, spec.getLrMult());
    assertTrue(spec.hasUsePl());
    assertFalse(spec.getUsePl());
    assertEquals(List.of(0.0, 2.0, -2.5, -2.0), spec.getBetaList());
    assertEquals(0.3, spec.getT());
    assertFalse(spec.hasNumEpochs(), "keys not given stay unset");
  }

  @Test
  void nullLeavesAFieldUnset() throws SpecException {
    ExperimentSpec spec = SpecJson.parse("{\"bsize\": null, \"arch\": null}", "test.json").spec();
    assertFalse(spec.hasBsize());
    assertEquals("", spec.getArch());
  }

  @ParameterizedTest(name = "{0} -> {1}: {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{\"bsize\": \"16\"}            | bsize       | must be an integer, got \"16\"",
        "{\"bsize\": 16.5}              | bsize       | must be an integer, got 16.5",
        "{\"num_classes\": 30000000000} | num_classes | must be an integer in the 32-bit range, got 30000000000",
        "{\"seed\": 1.5}                | seed        | must be an integer, got 1.5",
        "{\"lr\": \"1e-5\"}             | lr          | must be a number, got \"1e-5\"",
        "{\"use_pl\": \"true\"}         | use_pl      | must be true or false, got \"true\"",
        "{\"early_stop\": 1}            | early_stop  | must be true or false, got 1",
        "{\"arch\": 50}                 | arch        | must be a string, got 50",
        "{\"beta\": \"0,2,-2,-2\"}      | beta        | must be an array of numbers, got \"0,2,-2,-2\"",
        "{\"lam\": 0.7}                 | lam         | must be an array of numbers, got 0.7",
        "{\"alpha\": [0.5, \"2\", 0.8, 0.5]} | alpha  | element 1 must be a number, got \"2\"",
        "{\"dataset\": {\"id\": \"pascal\"}} | dataset | must be a string, got {\"id\":\"pascal\"}",
      })
  void wrongJsonTypeNamesTheFieldAndTheExpectedType(String json, String field, String rule) {
    SpecProblem problem = onlyProblem(json);
    assertEquals(field, problem.field());
    assertEquals(rule, problem.rule());
    assertEquals(field + ": " + rule, problem.toString());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "learning_rate, unknown key (did you mean \"lr\"?)",
    "batch_size, unknown key (did you mean \"bsize\"?)",
    "bsise, unknown key (did you mean \"bsize\"?)",
    "num_epoch, unknown key (did you mean \"num_epochs\"?)",
    "gridsize, unknown key (did you mean \"grid_size\"?)",
    "t, unknown key (did you mean \"T\"?)",
    "dropout_rate, unknown key",
  })
  void unknownKeyIsAnErrorNamingItWithTheClosestKnownKey(String key, String rule) {
    SpecProblem problem = onlyProblem("{\"" + key + "\": 1}");
    assertEquals(key, problem.field());
    assertEquals(rule, problem.rule());
  }

  @Test
  void referenceOnlyKeysAreIgnoredWithAWarningNamingThem() throws SpecException {
    ParsedSpec parsed =
        SpecJson.parse(
            "{\"gpu_num\": \"3\", \"num_workers\": 4, \"feat_dim\": 2048, \"n_ctx\": 4, \"bsize\": 8}", "test.json");
    assertEquals(ExperimentSpec.newBuilder().setBsize(8).build(), parsed.spec());
    assertEquals(
        List.of("gpu_num", "num_workers", "feat_dim", "n_ctx"),
        parsed.warnings().stream().map(w -> w.substring(0, w.indexOf(':'))).toList());
    assertTrue(parsed.warnings().stream().allMatch(w -> w.contains(": ignored (")), parsed.warnings().toString());
  }

  @Test
  void everyProblemIsReportedNotJustTheFirst() {
    SpecException e =
        parseFails("{\"learning_rate\": 1, \"bsize\": \"8\", \"gpu_num\": 3, \"use_pl\": 1, \"foo\": 2}");
    assertEquals(
        List.of("learning_rate", "bsize", "use_pl", "foo"),
        e.problems().stream().map(SpecProblem::field).toList());
    assertTrue(e.getMessage().contains("test.json"), e.getMessage());
    assertTrue(e.getMessage().contains("bsize: must be an integer, got \"8\""), e.getMessage());
  }

  @Test
  void malformedJsonNamesFileLineAndColumn(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("broken.json");
    // Line 3 lacks the colon: the parser meets '1' in column 8 (after two spaces, "lr" and a space).
    Files.writeString(file, "{\n  \"bsize\": 8,\n  \"lr\" 1e-5\n}\n");
    SpecException e = assertThrows(SpecException.class, () -> SpecJson.parse(file));
    SpecProblem problem = e.problems().get(0);
    assertEquals(file.toString(), problem.field());
    assertTrue(problem.rule().startsWith("malformed JSON at line 3, column 8: "), problem.rule());
    assertTrue(problem.rule().contains("was expecting a colon"), problem.rule());
  }

  @Test
  void malformedJsonVariantsAreLocated() {
    SpecProblem unclosed = onlyProblem("{\n\"bsize\": 8,\n");
    assertTrue(unclosed.rule().startsWith("malformed JSON at line 3"), unclosed.rule());
    SpecProblem duplicate = onlyProblem("{\"lr\": 1e-5,\n \"lr\": 1e-4}");
    assertTrue(duplicate.rule().startsWith("malformed JSON at line 2"), duplicate.rule());
    assertTrue(duplicate.rule().contains("Duplicate field 'lr'"), duplicate.rule());
    SpecProblem trailing = onlyProblem("{\"lr\": 1e-5}\n{\"bsize\": 8}");
    assertTrue(trailing.rule().startsWith("malformed JSON at line 2"), trailing.rule());
  }

  @Test
  void documentMustBeAnObject() {
    assertEquals("test.json: must be a JSON object, found array", onlyProblem("[1, 2]").toString());
    assertEquals("test.json: must be a JSON object, found an empty document", onlyProblem("  ").toString());
  }

  @Test
  void roundTripOfEveryFieldIsIdentical() throws IOException, SpecException {
    String json = resource("/specs/every-field.json");
    ExperimentSpec first = SpecJson.parse(json, "every-field.json").spec();
    String written = SpecJson.toJson(first);
    ExperimentSpec second = SpecJson.parse(written, "written").spec();
    assertEquals(first, second);
    assertEquals(written, SpecJson.toJson(second));
    for (FieldDescriptor field : ExperimentSpec.getDescriptor().getFields()) {
      assertTrue(
          field.isRepeated() ? second.getRepeatedFieldCount(field) > 0 : second.hasField(field),
          "the fixture must set " + field.getName());
    }
  }

  @Test
  void fixtureCoversEveryFieldOfTheMessage() throws IOException {
    JsonNode fixture = new ObjectMapper().readTree(resource("/specs/every-field.json"));
    Set<String> keys = new HashSet<>();
    fixture.fieldNames().forEachRemaining(keys::add);
    Set<String> fields =
        ExperimentSpec.getDescriptor().getFields().stream().map(FieldDescriptor::getName).collect(Collectors.toSet());
    assertEquals(fields, keys);
  }

  @Test
  void writtenJsonUsesTheReferenceKeysAndOnlySetFields() throws IOException, SpecException {
    ExperimentSpec spec =
        ExperimentSpec.newBuilder()
            .setDataset("pascal")
            .setT(0.3)
            .addAllQ2Q3(List.of(0.01, 1.0))
            .setLam1(0.7)
            .setUsePl(false)
            .setSeed(1200)
            .build();
    JsonNode written = new ObjectMapper().readTree(SpecJson.toJson(spec));
    Set<String> keys = new HashSet<>();
    written.fieldNames().forEachRemaining(keys::add);
    assertEquals(Set.of("dataset", "T", "q2q3", "lam_1", "use_pl", "seed"), keys);
    assertFalse(written.get("use_pl").booleanValue());
    assertTrue(written.get("seed").isIntegralNumber());
    assertEquals(0.01, written.get("q2q3").get(0).doubleValue());
  }

  static String resource(String name) throws IOException {
    try (InputStream in = SpecJsonTest.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
