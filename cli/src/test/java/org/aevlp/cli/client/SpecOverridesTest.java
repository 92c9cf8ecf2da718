package org.aevlp.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.aevlp.common.spec.ParsedSpec;
import org.aevlp.common.spec.SpecException;
import org.aevlp.common.spec.SpecJson;
import org.aevlp.common.spec.SpecProblem;
import org.aevlp.proto.v1.ExperimentSpec;
import org.junit.jupiter.api.Test;

class SpecOverridesTest {

  private static final ParsedSpec BASE =
      new ParsedSpec(
          ExperimentSpec.newBuilder().setDataset("synthetic").setNumEpochs(8).setLr(1e-5).addAllBeta(List.of(0.0, 2.0, -2.0, -2.0)).build(),
          List.of("gpu_num: ignored (from the file)"));

  @Test
  void valuesAreReadAsJsonNumbersBooleansArraysOrStrings() throws SpecException {
    ParsedSpec spec =
        SpecOverrides.apply(
            BASE, List.of("num_epochs=3", "lr=1e-4", "use_pl=false", "arch=resnet18", "beta=[0,10,-2,-8]", "name=123"));
    ExperimentSpec s = spec.spec();
    assertEquals(3, s.getNumEpochs());
    assertEquals(1e-4, s.getLr());
    assertTrue(s.hasUsePl());
    assertFalse(s.getUsePl());
    assertEquals("resnet18", s.getArch());
    assertEquals(List.of(0.0, 10.0, -2.0, -8.0), s.getBetaList());
    assertEquals("123", s.getName(), "a string field takes the text even when it looks like a number");
    assertEquals("synthetic", s.getDataset(), "keys not set stay as in the file");
  }

  @Test
  void laterAssignmentWinsAndNullUnsets() throws SpecException {
    ExperimentSpec s = SpecOverrides.apply(BASE, List.of("num_epochs=3", "num_epochs=5", "lr=null")).spec();
    assertEquals(5, s.getNumEpochs());
    assertFalse(s.hasLr());
  }

  @Test
  void unknownKeyGetsTheSpecReadersSuggestion() {
    SpecException e = assertThrows(SpecException.class, () -> SpecOverrides.apply(BASE, List.of("bsise=4")));
    assertEquals(List.of(new SpecProblem("bsise", "unknown key (did you mean \"bsize\"?)")), e.problems());
    // The same words as a spec file with that key gets from the reader itself.
    SpecException fromFile = assertThrows(SpecException.class, () -> SpecJson.parse("{\"bsise\": 4}", "f.json"));
    assertEquals(fromFile.problems(), e.problems());
    assertTrue(e.getMessage().startsWith("invalid experiment spec (--set)"), e.getMessage());
  }

  @Test
  void valueOfTheWrongTypeNamesTheFieldAndEveryBadAssignmentIsReported() {
    SpecException e =
        assertThrows(SpecException.class, () -> SpecOverrides.apply(BASE, List.of("bsize=eight", "use_pl=yes", "nokey")));
    assertEquals(
        List.of(
            new SpecProblem("bsize", "must be an integer, got \"eight\""),
            new SpecProblem("use_pl", "must be true or false, got \"yes\""),
            new SpecProblem("--set nokey", "must be KEY=VALUE (e.g. --set lr=1e-4)")),
        e.problems());
  }

  @Test
  void referenceOnlyKeyIsIgnoredWithAWarningNextToTheFilesWarnings() throws SpecException {
    ParsedSpec spec = SpecOverrides.apply(BASE, List.of("num_workers=4"));
    assertEquals(BASE.spec(), spec.spec());
    assertEquals(2, spec.warnings().size());
    assertEquals("gpu_num: ignored (from the file)", spec.warnings().get(0));
    assertTrue(spec.warnings().get(1).startsWith("num_workers: ignored"), spec.warnings().get(1));
  }

  @Test
  void valueJsonQuotesBareWordsButKeepsJson() {
    assertEquals("\"tiny-vlm\"", SpecOverrides.valueJson("scorer", "tiny-vlm"));
    assertEquals("\"1 2\"", SpecOverrides.valueJson("bsize", "1 2"));
    assertEquals("[1,2]", SpecOverrides.valueJson("lam", "[1,2]"));
    assertEquals("\"quoted\"", SpecOverrides.valueJson("name", "\"quoted\""));
  }
}
