package org.aevlp.labeler.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.aevlp.proto.v1.DampParams;
import org.junit.jupiter.api.Test;

class DampParamsResolverTest {

  private static final LabelerDataset DATASET = new LabelerDataset(
      "synthetic", SyntheticFixture.classNames(), Path.of("."), List.of("a.png"), 3, Optional.empty());
  private static final DampParamsResolver RESOLVER = new DampParamsResolver(8);

  @Test
  void unsetFieldsTakeTheSpecDefaultsAndTheDatasetsTopK() throws Exception {
    DampParamsResolver.Resolved resolved = RESOLVER.resolve(DampParams.getDefaultInstance(), DATASET, false);
    org.aevlp.labeler.damp.DampParams params = resolved.params();
    assertEquals(0.01, params.temp());
    assertEquals(0.1, params.eta());
    assertEquals(0.5, params.threshold());
    assertEquals(4, params.gridSize());
    assertEquals(0.1, params.negativeRatio());
    assertEquals(3, params.topK());
    assertEquals(10, params.numClasses());
    assertFalse(params.negativeAsMinusOne());
    assertTrue(params.localViews());
    assertFalse(resolved.useRefinement());
  }

  @Test
  void setFieldsAreUsed() throws Exception {
    DampParams message = DampParams.newBuilder()
        .setTemp(0.02).setEta(0.0).setThreshold(0.3).setGridSize(3).setNegativeRatio(0.4).setTopK(5)
        .setNegativePseudoLabels(true).setUseRefinement(true).setLocalViews(false).build();
    DampParamsResolver.Resolved resolved = RESOLVER.resolve(message, DATASET, true);
    assertEquals(new org.aevlp.labeler.damp.DampParams(0.02, 0.0, 0.3, 3, 5, 0.4, 10, true, false), resolved.params());
    assertTrue(resolved.useRefinement());
  }

  @Test
  void eachBrokenRuleNamesItsField() {
    assertNamed("params.temp", DampParams.newBuilder().setTemp(Double.POSITIVE_INFINITY));
    assertNamed("params.temp", DampParams.newBuilder().setTemp(-0.01));
    assertNamed("params.eta", DampParams.newBuilder().setEta(-0.1));
    assertNamed("params.threshold", DampParams.newBuilder().setThreshold(1.01));
    assertNamed("params.negative_ratio", DampParams.newBuilder().setNegativeRatio(Double.NaN));
    assertNamed("params.grid_size", DampParams.newBuilder().setGridSize(9));
    assertNamed("params.top_k", DampParams.newBuilder().setTopK(0));
    assertNamed("params.use_refinement", DampParams.newBuilder().setUseRefinement(true));
  }

  private static void assertNamed(String field, DampParams.Builder message) {
    InvalidRequestException error =
        assertThrows(InvalidRequestException.class, () -> RESOLVER.resolve(message.build(), DATASET, false));
    assertEquals(field, error.field());
    assertEquals(Status.Code.INVALID_ARGUMENT, error.code());
    assertTrue(error.getMessage().startsWith(field + ": "), error.getMessage());
  }
}
