package org.aevlp.common.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.aevlp.common.catalog.DatasetCatalog;
import org.aevlp.proto.v1.ExperimentSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpecValidatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SpecDefaults DEFAULTS = new SpecDefaults(DatasetCatalog.builtIn());
  private static final SpecValidator VALIDATOR = new SpecValidator(DatasetCatalog.builtIn());

  /** The base spec ({@code {"dataset": "synthetic"}}) with {@code override}'s keys replacing its own, defaults filled. */
  private static ExperimentSpec synthetic(String override) throws Exception {
    ObjectNode spec = (ObjectNode) JSON.readTree("{\"dataset\": \"synthetic\"}");
    spec.setAll((ObjectNode) JSON.readTree(override));
    return DEFAULTS.apply(SpecJson.parse(JSON.writeValueAsString(spec), "test").spec());
  }

  @Test
  void infiniteRatesAreRefused() {
    // JSON reads 1e400 as Infinity; a spec sent over gRPC can carry it directly
    ExperimentSpec spec = DEFAULTS.apply(ExperimentSpec.newBuilder().setDataset("synthetic")
        .setLr(Double.POSITIVE_INFINITY).setReg(Double.POSITIVE_INFINITY).build());
    assertEquals(List.of(new SpecProblem("lr", "must be finite, got Infinity"),
        new SpecProblem("reg", "must be finite, got Infinity")), VALIDATOR.problems(spec));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"synthetic", "pascal", "coco", "nuswide", "cub"})
  void datasetAloneWithDefaultsIsValid(String dataset) throws Exception {
    ExperimentSpec spec = DEFAULTS.apply(ExperimentSpec.newBuilder().setDataset(dataset).build());
    assertEquals(List.of(), VALIDATOR.problems(spec));
  }

  @Test
  void globalOnlyDampIsValidWithPseudoLabels() throws Exception {
    assertEquals(List.of(), VALIDATOR.problems(synthetic("{\"damp_local_views\": false}")));
  }

  static Stream<Arguments> badSpecs() {
    return Stream.of(
        Arguments.of("{\"lam\": [1.2, 0.4], \"lam_1\": 1.2}", "lam", "lam_1 must be in [0, 1], got 1.2"),
        Arguments.of("{\"lam\": [0.7, -0.1], \"lam_2\": -0.1}", "lam", "lam_2 must be in [0, 1], got -0.1"),
        Arguments.of("{\"lam\": [0.7]}", "lam", "needs 2 numbers [lam_1, lam_2], got 1"),
        Arguments.of("{\"lam\": [0.7, 0.4], \"lam_1\": 0.8}", "lam_1", "must equal lam[0] (0.7), got 0.8"),
        Arguments.of("{\"lam\": [0.7, 0.4], \"lam_2\": 0.3}", "lam_2", "must equal lam[1] (0.4), got 0.3"),
        Arguments.of("{\"grid_size\": 0}", "grid_size", "must be >= 1, got 0"),
        Arguments.of("{\"data_dir\": \"a\\u0000b\"}", "data_dir", "is not a valid path on this machine"),
        Arguments.of("{\"pretrained_path\": \"\\ud800x\"}", "pretrained_path",
            "is not a valid path on this machine"),
        Arguments.of("{\"beta\": [0, 2, -2]}", "beta", "needs 4 numbers [w_0, w_max, b_0, b_max], got 3"),
        Arguments.of("{\"alpha\": [0.5, 2, 0.8]}", "alpha", "needs 4 numbers [mu_0, sigma_0, mu_max, sigma_max], got 3"),
        Arguments.of("{\"alpha\": [0.5, 0, 0.8, 0.5]}", "alpha", "sigma_0 must be > 0, got 0"),
        Arguments.of("{\"alpha\": [0.5, 2, 0.8, -0.5]}", "alpha", "sigma_max must be > 0, got -0.5"),
        Arguments.of("{\"q2q3\": [0, 1]}", "q2q3", "q2 must be in (0, 1.5], got 0"),
        Arguments.of("{\"q2q3\": [0.01, 2]}", "q2q3", "q3 must be in (0, 1.5], got 2"),
        Arguments.of("{\"q2q3\": [0.01]}", "q2q3", "needs 2 numbers [q2, q3], got 1"),
        Arguments.of("{\"num_epochs\": 3, \"linear_init\": 3}", "num_epochs", "must be > linear_init (3), got 3"),
        Arguments.of("{\"num_epochs\": 0}", "num_epochs", "must be >= 1, got 0"),
        Arguments.of("{\"linear_init\": -1}", "linear_init", "must be >= 0, got -1"),
        Arguments.of("{\"loss\": \"gr_loss\"}", "loss", "must be one of gpr_loss, an_loss, an_pl_loss, full_loss, got \"gr_loss\""),
        Arguments.of("{\"val_set_variant\": \"observed\"}", "val_set_variant", "must be \"clean\""),
        Arguments.of("{\"train_set_variant\": \"noisy\"}", "train_set_variant", "must be one of observed, clean, got \"noisy\""),
        Arguments.of("{\"use_feats\": true}", "use_feats", "only false is supported"),
        Arguments.of("{\"arch\": \"vgg16\"}", "arch", "must be one of resnet18, resnet34, resnet50, resnet101, resnet18-narrow, tiny-vlm, got \"vgg16\""),
        Arguments.of("{\"dataset\": \"imagenet\"}", "dataset", "must be one of pascal, coco, nuswide, cub, synthetic, manifest, got \"imagenet\""),
        Arguments.of("{\"negative_ratio\": 1.0}", "negative_ratio", "must be in [0, 1), got 1"),
        Arguments.of("{\"negative_ratio\": -0.1}", "negative_ratio", "must be in [0, 1), got -0.1"),
        Arguments.of("{\"top_k\": 0}", "top_k", "must be in [1, 10], got 0"),
        Arguments.of("{\"top_k\": 11}", "top_k", "must be in [1, 10], got 11"),
        Arguments.of("{\"sparse_topk\": 11}", "sparse_topk", "must be in [1, 10], got 11"),
        Arguments.of("{\"bsize\": 0}", "bsize", "must be >= 1, got 0"),
        Arguments.of("{\"lr\": 0}", "lr", "must be > 0, got 0"),
        Arguments.of("{\"lr_mult\": -10}", "lr_mult", "must be > 0, got -10"),
        Arguments.of("{\"optimizer\": \"sgd\"}", "optimizer", "must be \"adam\", got \"sgd\""),
        Arguments.of("{\"loss\": \"an_loss\", \"use_pl\": true}", "use_pl", "must be false for an_loss"),
        Arguments.of("{\"loss\": \"full_loss\", \"use_pl\": true}", "use_pl", "must be false for full_loss"),
        Arguments.of("{\"loss\": \"an_pl_loss\", \"use_pl\": false}", "use_pl", "must be true for an_pl_loss"),
        Arguments.of("{\"loss\": \"full_loss\", \"train_set_variant\": \"observed\"}", "train_set_variant", "must be \"clean\" for full_loss"),
        Arguments.of("{\"num_classes\": 12}", "num_classes", "dataset \"synthetic\" has 10 classes, got 12"),
        Arguments.of("{\"val_frac\": 1.0}", "val_frac", "must be in (0, 1), got 1"),
        Arguments.of("{\"ss_frac_train\": 0}", "ss_frac_train", "must be in (0, 1], got 0"),
        Arguments.of("{\"temp\": 0}", "temp", "must be > 0, got 0"),
        Arguments.of("{\"eta\": 1.5}", "eta", "must be in [0, 1], got 1.5"),
        Arguments.of("{\"threshold\": -0.1}", "threshold", "must be in [0, 1], got -0.1"),
        Arguments.of("{\"rho\": 1.1}", "rho", "must be in [0, 1], got 1.1"),
        Arguments.of("{\"reg\": -0.01}", "reg", "must be >= 0, got -0.01"),
        Arguments.of("{\"expected_num_pos\": 11}", "expected_num_pos", "must be in (0, 10], got 11"),
        Arguments.of("{\"reweight_p\": 1.2}", "reweight_p", "must be in [0, 1], got 1.2"),
        Arguments.of("{\"T\": 0}", "T", "must be > 0, got 0"),
        Arguments.of("{\"scorer\": \"clip\"}", "scorer", "must be one of tiny-vlm, clip-torchscript, got \"clip\""),
        Arguments.of("{\"image_size\": 8}", "image_size", "must be in [16, 1024], got 8"),
        Arguments.of("{\"sync_every\": 0}", "sync_every", "must be >= 1, got 0"),
        Arguments.of("{\"max_workers\": -1}", "max_workers", "must be >= 0, got -1"),
        Arguments.of("{\"checkpoint_every_steps\": -5}", "checkpoint_every_steps", "must be >= 0, got -5"),
        Arguments.of("{\"scale_lr\": true}", "scale_lr", "needs per_worker_bsize true"),
        Arguments.of("{\"use_refinement\": true}", "use_refinement", "needs a relation matrix: dataset \"synthetic\" has none, set relation"),
        Arguments.of("{\"loss\": \"an_loss\", \"damp_local_views\": false}", "damp_local_views",
            "false (global view only) needs use_pl true: it only changes DAMP pseudo-labels"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSpecs")
  void badValueIsReportedWithItsFieldAndRule(String override, String field, String rule) throws Exception {
    List<SpecProblem> problems = VALIDATOR.problems(synthetic(override));
    assertEquals(1, problems.size(), "exactly one problem expected: " + problems);
    SpecProblem problem = problems.get(0);
    assertEquals(field, problem.field());
    assertTrue(problem.rule().startsWith(rule), () -> "rule of " + field + " was: " + problem.rule());
    assertTrue(problem.toString().startsWith(field + ": " + rule));
  }

  @Test
  void everyProblemIsReportedAtOnce() throws Exception {
    ExperimentSpec spec = synthetic("{\"bsize\": 0, \"lr\": -1, \"grid_size\": 0, \"beta\": [1], \"optimizer\": \"sgd\"}");
    SpecException e = assertThrows(SpecException.class, () -> VALIDATOR.check(spec, "mine.json"));
    assertEquals(
        Set.of("bsize", "lr", "grid_size", "beta", "optimizer"),
        e.problems().stream().map(SpecProblem::field).collect(Collectors.toSet()));
    assertTrue(e.getMessage().startsWith("invalid experiment spec (mine.json)"), e.getMessage());
    assertTrue(e.getMessage().contains("\n  grid_size: must be >= 1, got 0"), e.getMessage());
  }

  @Test
  void manifestDatasetMustGiveWhatHasNoDefault() throws Exception {
    ExperimentSpec spec = DEFAULTS.apply(ExperimentSpec.newBuilder().setDataset("manifest").build());
    List<String> problems = VALIDATOR.problems(spec).stream().map(SpecProblem::toString).toList();
    assertTrue(problems.contains("num_classes: must be set"), problems.toString());
    assertTrue(problems.contains("top_k: must be set"), problems.toString());
    assertTrue(problems.contains("expected_num_pos: must be set"), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("data_dir: ")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("classnames: ")), problems.toString());

    ExperimentSpec complete =
        DEFAULTS.apply(
            spec.toBuilder().clearSparseTopk().setNumClasses(5).setTopK(2).setExpectedNumPos(1.2)
                .setDataDir("/data/mine").setClassnames("/data/mine/classes.txt").build());
    assertEquals(List.of(), VALIDATOR.problems(complete));
    assertEquals(5, complete.getSparseTopk());
  }

  @Test
  void specWithoutDefaultsNamesEveryUnsetField() {
    List<String> problems =
        VALIDATOR.problems(ExperimentSpec.newBuilder().setDataset("pascal").build()).stream()
            .map(SpecProblem::toString).toList();
    assertTrue(problems.contains("bsize: must be set"), problems.toString());
    assertTrue(problems.contains("lam: needs 2 numbers [lam_1, lam_2], got 0"), problems.toString());
    assertTrue(problems.contains("early_stop: must be set"), problems.toString());
  }

  @Test
  void emptyDatasetIsNamed() {
    List<String> problems =
        VALIDATOR.problems(DEFAULTS.apply(ExperimentSpec.getDefaultInstance())).stream()
            .map(SpecProblem::toString).toList();
    assertTrue(problems.contains("dataset: must be set (one of pascal, coco, nuswide, cub, synthetic, manifest)"), problems.toString());
  }

  @Test
  void referenceQuirkOfReversedLamIsAccepted() throws Exception {
    // lam_1 < lam_2 is legal in the reference (QUIRKS Q1 pins its effect), so it is not an error.
    assertEquals(List.of(), VALIDATOR.problems(synthetic("{\"lam\": [0.3, 0.6]}")));
  }

  @Test
  void perWorkerBatchWithLinearScalingIsValid() throws Exception {
    assertEquals(List.of(), VALIDATOR.problems(synthetic("{\"per_worker_bsize\": true, \"scale_lr\": true}")));
  }
}
