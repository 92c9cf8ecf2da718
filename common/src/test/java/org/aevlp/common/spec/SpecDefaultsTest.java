package org.aevlp.common.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.aevlp.common.catalog.DatasetCatalog;
import org.aevlp.proto.v1.ExperimentSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecDefaultsTest {

  private static final SpecDefaults DEFAULTS = new SpecDefaults(DatasetCatalog.builtIn());

  private static ExperimentSpec filled(String json) throws SpecException {
    return DEFAULTS.apply(SpecJson.parse(json, "test").spec());
  }

  // Expected values: the reference's _LOOKUP table (config.py) and the synthetic dataset of DESIGN.md §6.
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "pascal,    20,  3,  1.5, 20,  0.2, 0.3",
    "coco,      80,  3,  2.9, 62,  0.2, 0.2",
    "nuswide,   81,  3,  1.9, 50,  0.2, 0.2",
    "cub,       312, 32, 31.4, 312, 0.2, 0.3",
    "synthetic, 10,  3,  2.5, 10,  0.2, 0.3",
  })
  void fillsTheDatasetsConstants(
      String dataset, int numClasses, int topK, double expectedNumPos, int sparseTopk, double reweightP, double t)
      throws SpecException {
    ExperimentSpec spec = filled("{\"dataset\": \"" + dataset + "\"}");
    assertEquals(numClasses, spec.getNumClasses());
    assertEquals(topK, spec.getTopK());
    assertEquals(expectedNumPos, spec.getExpectedNumPos());
    assertEquals(sparseTopk, spec.getSparseTopk());
    assertEquals(reweightP, spec.getReweightP());
    assertEquals(t, spec.getT());
  }

  @Test
  void fillsTheReferenceGeneralDefaults() throws SpecException {
    ExperimentSpec spec = filled("{\"dataset\": \"coco\"}");
    assertEquals(1200, spec.getSeed());
    assertEquals(1200, spec.getSplitSeed());
    assertEquals(999, spec.getSsSeed());
    assertEquals(0.2, spec.getValFrac());
    assertEquals(1.0, spec.getSsFracTrain());
    assertEquals("observed", spec.getTrainSetVariant());
    assertEquals("clean", spec.getValSetVariant());
    assertEquals("resnet50", spec.getArch());
    assertTrue(spec.getUsePretrained());
    assertEquals(448, spec.getImageSize());
    assertEquals(8, spec.getNumEpochs());
    assertEquals(8, spec.getBsize());
    assertEquals(1e-5, spec.getLr());
    assertEquals(10.0, spec.getLrMult());
    assertEquals("adam", spec.getOptimizer());
    assertEquals(0, spec.getLinearInit());
    assertEquals("gpr_loss", spec.getLoss());
    assertTrue(spec.getUsePl());
    assertEquals(List.of(0.0, 2.0, -2.0, -2.0), spec.getBetaList());
    assertEquals(List.of(0.5, 2.0, 0.8, 0.5), spec.getAlphaList());
    assertEquals(List.of(0.01, 1.0), spec.getQ2Q3List());
    assertEquals(List.of(0.8, 0.3), spec.getLamList());
    assertEquals(0.9, spec.getRho());
    assertEquals(0.001, spec.getReg());
    assertEquals("clip-torchscript", spec.getScorer());
    assertEquals("ViT-B/16", spec.getClipModel());
    assertEquals(0.01, spec.getTemp());
    assertEquals(0.1, spec.getEta());
    assertEquals(0.5, spec.getThreshold());
    assertEquals(4, spec.getGridSize());
    assertEquals(0.1, spec.getNegativeRatio());
    assertFalse(spec.getNegativePseudoLabels());
    assertTrue(spec.getDampLocalViews());
    assertFalse(spec.getPerWorkerBsize());
    assertEquals(1, spec.getSyncEvery());
    assertTrue(spec.getEarlyStop());
    assertFalse(spec.getUseFeats());
    assertEquals("coco-gpr_loss", spec.getName());
  }

  @Test
  void syntheticDataGetsTheBuiltInModelsAndSmallImages() throws SpecException {
    ExperimentSpec spec = filled("{\"dataset\": \"synthetic\"}");
    assertEquals("tiny-vlm", spec.getArch());
    assertEquals("tiny-vlm", spec.getScorer());
    assertEquals(64, spec.getImageSize());
    assertEquals("", spec.getClipModel(), "CLIP settings only accompany the CLIP scorer");
    assertEquals(64, filled("{\"dataset\": \"synthetic\", \"arch\": \"resnet18\"}").getImageSize(),
        "synthetic images are 64 px whatever the backbone");
    assertEquals(64, filled("{\"dataset\": \"pascal\", \"arch\": \"tiny-vlm\"}").getImageSize());
  }

  @Test
  void derivesLam1AndLam2FromLam() throws SpecException {
    ExperimentSpec spec = filled("{\"dataset\": \"pascal\", \"lam\": [0.7, 0.4]}");
    assertEquals(0.7, spec.getLam1());
    assertEquals(0.4, spec.getLam2());
  }

  @Test
  void anLossTurnsPseudoLabelsOffAsTheReferenceDoes() throws SpecException {
    assertFalse(filled("{\"dataset\": \"pascal\", \"loss\": \"an_loss\"}").getUsePl());
    assertTrue(filled("{\"dataset\": \"pascal\", \"loss\": \"an_pl_loss\"}").getUsePl());
    ExperimentSpec full = filled("{\"dataset\": \"pascal\", \"loss\": \"full_loss\"}");
    assertFalse(full.getUsePl());
    assertEquals("clean", full.getTrainSetVariant());
  }

  @Test
  void neverChangesAFieldThatIsSet() throws SpecException {
    ExperimentSpec spec =
        filled("{\"dataset\": \"cub\", \"top_k\": 5, \"expected_num_pos\": 4.5, \"seed\": 7, \"use_pl\": false,"
            + " \"grid_size\": 2, \"lam\": [0.6, 0.2], \"lam_1\": 0.9, \"name\": \"mine\", \"image_size\": 224,"
            + " \"scorer\": \"tiny-vlm\", \"early_stop\": false}");
    assertEquals(5, spec.getTopK());
    assertEquals(4.5, spec.getExpectedNumPos());
    assertEquals(7, spec.getSeed());
    assertFalse(spec.getUsePl());
    assertEquals(2, spec.getGridSize());
    assertEquals(List.of(0.6, 0.2), spec.getLamList());
    assertEquals(0.9, spec.getLam1(), "a given lam_1 is kept (the validator reports the disagreement)");
    assertEquals(0.2, spec.getLam2());
    assertEquals("mine", spec.getName());
    assertEquals(224, spec.getImageSize());
    assertEquals("tiny-vlm", spec.getScorer());
    assertFalse(spec.getEarlyStop());
  }

  @Test
  void applyingTwiceChangesNothing() throws SpecException {
    ExperimentSpec once = filled("{\"dataset\": \"nuswide\"}");
    assertEquals(once, DEFAULTS.apply(once));
  }
}
