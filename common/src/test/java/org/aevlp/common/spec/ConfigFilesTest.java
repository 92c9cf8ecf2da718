package org.aevlp.common.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.aevlp.proto.v1.ExperimentSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reference implementation's configs (copied into test resources) submit as is, and the
 * project's own configs/ carry the same hyper-parameters.
 */
class ConfigFilesTest {

  private static final Path PROJECT_CONFIGS = Path.of("..", "configs");
  private static final SpecLoader LOADER = SpecLoader.builtIn();

  private static ParsedSpec reference(String dataset) throws IOException, SpecException {
    return LOADER.load(SpecJsonTest.resource("/reference-configs/" + dataset + ".json"), dataset + ".json");
  }

  // Expected warnings: the keys of each reference file that have no field (read off the files).
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "pascal  | gpu_num num_workers is_train source n_ctx ctx_init feat_dim",
        "coco    | gpu_num num_workers is_train source n_ctx ctx_init feat_dim config_file",
        "nuswide | gpu_num num_workers is_train source n_ctx ctx_init feat_dim config_file",
        "cub     | gpu_num num_workers is_train source n_ctx ctx_init feat_dim config_file save_path exp_name"
            + " experiment_name",
      })
  void referenceConfigParsesWithWarningsForIgnoredKeysAndValidates(String dataset, String ignored)
      throws IOException, SpecException {
    ParsedSpec parsed = reference(dataset);
    Set<String> warned =
        parsed.warnings().stream().map(w -> w.substring(0, w.indexOf(':'))).collect(Collectors.toSet());
    assertEquals(Set.of(ignored.split(" ")), warned);
    assertEquals(dataset, parsed.spec().getDataset());
  }

  @Test
  void referenceValuesSurviveParsing() throws IOException, SpecException {
    ExperimentSpec cub = reference("cub").spec();
    assertEquals(List.of(0.0, 10.0, -2.0, -8.0), cub.getBetaList());
    assertEquals(List.of(0.01, 1.5), cub.getQ2Q3List());
    assertEquals(List.of(0.8, 0.2), cub.getLamList());
    assertEquals(0.8, cub.getLam1());
    assertEquals(5, cub.getGridSize());
    assertEquals(0.005, cub.getEta());
    assertTrue(cub.getUseRefinement());
    assertEquals(32, cub.getTopK());
    assertEquals(31.4, cub.getExpectedNumPos());
  }

  @Test
  void projectConfigsDirectoryHoldsTheFiveSpecsAndTheBenchmarkVariants() throws IOException {
    try (Stream<Path> files = Files.list(PROJECT_CONFIGS)) {
      Set<String> names = files.map(f -> f.getFileName().toString()).collect(Collectors.toSet());
      assertEquals(Set.of("synthetic.json", "voc.json", "coco.json", "nuswide.json", "cub.json",
          "synthetic-scratch.json", "synthetic-hard1-ablations.json"), names);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"synthetic.json", "voc.json", "coco.json", "nuswide.json", "cub.json", "synthetic-scratch.json",
      "synthetic-hard1-ablations.json"})
  void projectConfigParsesWithoutWarningsAndValidates(String file) throws IOException, SpecException {
    ParsedSpec parsed = LOADER.load(PROJECT_CONFIGS.resolve(file));
    assertEquals(List.of(), parsed.warnings());
    // Every value the defaults would fill from the dataset is written out in the file itself.
    ExperimentSpec raw = SpecJson.parse(PROJECT_CONFIGS.resolve(file)).spec();
    assertTrue(raw.hasTopK() && raw.hasExpectedNumPos() && raw.hasSparseTopk() && raw.hasReweightP() && raw.hasT());
  }

  @ParameterizedTest(name = "{0} <- {1}")
  @CsvSource({"voc.json, pascal", "coco.json, coco", "nuswide.json, nuswide", "cub.json, cub"})
  void projectConfigCarriesTheReferenceHyperParameters(String file, String dataset)
      throws IOException, SpecException {
    ExperimentSpec ours = LOADER.load(PROJECT_CONFIGS.resolve(file)).spec().toBuilder().clearName().build();
    ExperimentSpec theirs =
        reference(dataset).spec().toBuilder().clearName().clearClassnames().clearRelation().build();
    assertEquals(theirs, ours);
  }

  @Test
  void syntheticConfigIsTheSmallBuiltInSetting() throws IOException, SpecException {
    ExperimentSpec spec = LOADER.load(PROJECT_CONFIGS.resolve("synthetic.json")).spec();
    assertEquals("synthetic", spec.getDataset());
    assertEquals("tiny-vlm", spec.getArch());
    assertEquals("tiny-vlm", spec.getScorer());
    assertEquals(64, spec.getImageSize());
    assertEquals(2, spec.getGridSize());
    assertEquals(32, spec.getBsize());
    assertEquals(1e-4, spec.getLr());
    assertEquals(List.of(0.7, 0.4), spec.getLamList());
    assertEquals(0.05, spec.getReg());
    assertEquals(0.0, spec.getEta());
    assertEquals(0.2, spec.getNegativeRatio());
  }

  @Test
  void filledSpecRoundTripsThroughJsonForRunDirectories() throws IOException, SpecException {
    ExperimentSpec filled = LOADER.load(PROJECT_CONFIGS.resolve("cub.json")).spec();
    ParsedSpec again = LOADER.load(SpecJson.toJson(filled), "run/spec.json");
    assertEquals(filled, again.spec());
    assertEquals(List.of(), again.warnings());
  }
}
