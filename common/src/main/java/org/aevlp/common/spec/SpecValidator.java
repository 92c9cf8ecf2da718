package org.aevlp.common.spec;

import static org.aevlp.common.spec.ProblemList.number;
import static org.aevlp.common.spec.SpecVocabulary.ADAM;
import static org.aevlp.common.spec.SpecVocabulary.AN_LOSS;
import static org.aevlp.common.spec.SpecVocabulary.AN_PL_LOSS;
import static org.aevlp.common.spec.SpecVocabulary.ARCHS;
import static org.aevlp.common.spec.SpecVocabulary.CLEAN;
import static org.aevlp.common.spec.SpecVocabulary.FULL_LOSS;
import static org.aevlp.common.spec.SpecVocabulary.LOSSES;
import static org.aevlp.common.spec.SpecVocabulary.MANIFEST;
import static org.aevlp.common.spec.SpecVocabulary.SCORERS;
import static org.aevlp.common.spec.SpecVocabulary.TRAIN_SET_VARIANTS;

import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.aevlp.common.catalog.DatasetCatalog;
import org.aevlp.common.catalog.DatasetInfo;
import org.aevlp.proto.v1.ExperimentSpec;

/**
 * Checks a defaults-filled spec ({@link SpecDefaults}) against the rules documented with each
 * field in spec.proto and returns every problem found, each as {@code field: rule}. Every optional
 * field must be set (defaults fill all but those a "manifest" dataset must give); ranges follow
 * the formulas of DESIGN.md §4 (e.g. the schedules divide by num_epochs - linear_init).
 */
public final class SpecValidator {

  /** Fields {@link SpecDefaults} takes from the dataset's constants. */
  private static final Set<String> FROM_DATASET = Set.of("num_classes", "top_k", "expected_num_pos", "sparse_topk");
  /** Copies of lam's elements: checked against lam when given, never required. */
  private static final Set<String> DERIVED_FROM_LAM = Set.of("lam_1", "lam_2");

  private final DatasetCatalog catalog;

  public SpecValidator(DatasetCatalog catalog) {
    this.catalog = catalog;
  }

  /** Every problem of the spec; empty when it is usable. */
  public List<SpecProblem> problems(ExperimentSpec spec) {
    ProblemList p = new ProblemList();
    requirePresence(spec, p);
    checkData(spec, p);
    checkPaths(spec, p);
    checkModel(spec, p);
    checkOptimisation(spec, p);
    checkLoss(spec, p);
    checkPseudoLabels(spec, p);
    checkCluster(spec, p);
    return p.toList();
  }

  /**
   * Throws when the spec has problems.
   *
   * @param source names the spec in the message (file name, request id, ...)
   */
  public void check(ExperimentSpec spec, String source) throws SpecException {
    List<SpecProblem> problems = problems(spec);
    if (!problems.isEmpty()) {
      throw new SpecException(source, problems);
    }
  }

  private void requirePresence(ExperimentSpec spec, ProblemList p) {
    boolean knownDataset = catalog.find(spec.getDataset()).isPresent() || spec.getDataset().equals(MANIFEST);
    for (FieldDescriptor field : ExperimentSpec.getDescriptor().getFields()) {
      String name = field.getName();
      if (!field.hasPresence() || field.isRepeated() || spec.hasField(field) || DERIVED_FROM_LAM.contains(name)) {
        continue;
      }
      // With an unknown dataset its constants are missing too; the dataset problem says why.
      if (knownDataset || !FROM_DATASET.contains(name)) {
        p.add(name, "must be set");
      }
    }
  }

  private void checkData(ExperimentSpec s, ProblemList p) {
    List<String> datasets = new ArrayList<>(catalog.ids());
    datasets.add(MANIFEST);
    if (s.getDataset().isEmpty()) {
      p.add("dataset", "must be set (one of " + String.join(", ", datasets) + ")");
    } else {
      p.oneOf("dataset", s.getDataset(), datasets);
    }
    Optional<DatasetInfo> dataset = catalog.find(s.getDataset());
    if (s.hasNumClasses()) {
      p.atLeast("num_classes", s.getNumClasses(), 1);
      if (dataset.isPresent() && dataset.get().numClasses() != s.getNumClasses()) {
        p.add("num_classes", "dataset \"" + s.getDataset() + "\" has " + dataset.get().numClasses()
            + " classes, got " + s.getNumClasses());
      }
    }
    if (s.getDataset().equals(MANIFEST)) {
      if (s.getDataDir().isEmpty()) {
        p.add("data_dir", "must name the manifest's directory for dataset \"manifest\"");
      }
      if (s.getClassnames().isEmpty()) {
        p.add("classnames", "must name a class names file for dataset \"manifest\"");
      }
    }
    if (s.hasValFrac()) {
      p.open("val_frac", s.getValFrac(), 0, 1);
    }
    if (s.hasSsFracTrain()) {
      p.openClosed("ss_frac_train", s.getSsFracTrain(), 0, 1);
    }
    if (s.hasSsFracVal()) {
      p.openClosed("ss_frac_val", s.getSsFracVal(), 0, 1);
    }
    p.oneOf("train_set_variant", s.getTrainSetVariant(), TRAIN_SET_VARIANTS);
    if (!s.getValSetVariant().equals(CLEAN)) {
      p.add("val_set_variant",
          "must be \"clean\" (mAP is measured on clean labels), got \"" + s.getValSetVariant() + "\"");
    }
  }

  private static void checkPaths(ExperimentSpec s, ProblemList p) {
    for (String name : SpecPaths.FIELDS) {
      String value = (String) s.getField(ExperimentSpec.getDescriptor().findFieldByName(name));
      SpecPaths.whyInvalid(value).ifPresent(why -> p.add(name, "is not a valid path on this machine (" + why + ")"));
    }
  }

  private static void checkModel(ExperimentSpec s, ProblemList p) {
    p.oneOf("arch", s.getArch(), ARCHS);
    if (s.hasImageSize()) {
      p.between("image_size", s.getImageSize(), 16, 1024);
    }
  }

  private static void checkOptimisation(ExperimentSpec s, ProblemList p) {
    if (s.hasNumEpochs()) {
      p.atLeast("num_epochs", s.getNumEpochs(), 1);
    }
    if (s.hasBsize()) {
      p.atLeast("bsize", s.getBsize(), 1);
    }
    if (s.hasLr()) {
      p.positive("lr", s.getLr());
    }
    if (s.hasLrMult()) {
      p.positive("lr_mult", s.getLrMult());
    }
    if (!s.getOptimizer().equals(ADAM)) {
      p.add("optimizer", "must be \"adam\", got \"" + s.getOptimizer() + "\"");
    }
    if (s.hasLinearInit()) {
      p.atLeast("linear_init", s.getLinearInit(), 0);
      // The schedules divide by num_epochs - linear_init.
      if (s.getNumEpochs() >= 1 && s.getLinearInit() >= 0 && s.getNumEpochs() <= s.getLinearInit()) {
        p.add("num_epochs", "must be > linear_init (" + s.getLinearInit() + "), got " + s.getNumEpochs());
      }
    }
  }

  private static void checkLoss(ExperimentSpec s, ProblemList p) {
    String loss = s.getLoss();
    p.oneOf("loss", loss, LOSSES);
    if (s.hasUsePl()) {
      if (s.getUsePl() && loss.equals(AN_LOSS)) {
        p.add("use_pl", "must be false for an_loss (it ignores pseudo-labels; an_pl_loss uses them)");
      }
      if (s.getUsePl() && loss.equals(FULL_LOSS)) {
        p.add("use_pl", "must be false for full_loss (it trains on complete labels)");
      }
      if (!s.getUsePl() && loss.equals(AN_PL_LOSS)) {
        p.add("use_pl", "must be true for an_pl_loss (without pseudo-labels it is an_loss)");
      }
    }
    if (loss.equals(FULL_LOSS) && !s.getTrainSetVariant().equals(CLEAN)) {
      p.add("train_set_variant", "must be \"clean\" for full_loss (it trains on complete labels)");
    }
    checkBeta(s, p);
    checkAlpha(s, p);
    checkQ2q3(s, p);
    checkLam(s, p);
    if (s.hasRho()) {
      p.closed("rho", s.getRho(), 0, 1);
    }
    if (s.hasReg()) {
      p.nonNegative("reg", s.getReg());
    }
    if (s.hasExpectedNumPos()) {
      if (s.hasNumClasses()) {
        p.openClosed("expected_num_pos", s.getExpectedNumPos(), 0, s.getNumClasses());
      } else {
        p.positive("expected_num_pos", s.getExpectedNumPos());
      }
    }
  }

  private static void checkBeta(ExperimentSpec s, ProblemList p) {
    if (s.getBetaCount() != 4) {
      p.add("beta", "needs 4 numbers [w_0, w_max, b_0, b_max], got " + s.getBetaCount());
      return;
    }
    p.finite("beta", s.getBetaList());
  }

  private static void checkAlpha(ExperimentSpec s, ProblemList p) {
    if (s.getAlphaCount() != 4) {
      p.add("alpha", "needs 4 numbers [mu_0, sigma_0, mu_max, sigma_max], got " + s.getAlphaCount());
      return;
    }
    p.finite("alpha", s.getAlphaList());
    // V = exp(-0.5 ((p - mu) / sigma)^2) needs sigma > 0 at every epoch; sigma moves linearly
    // between its two ends, so checking the ends suffices.
    p.positive("alpha", "sigma_0", s.getAlpha(1));
    p.positive("alpha", "sigma_max", s.getAlpha(3));
  }

  private static void checkQ2q3(ExperimentSpec s, ProblemList p) {
    if (s.getQ2Q3Count() != 2) {
      p.add("q2q3", "needs 2 numbers [q2, q3], got " + s.getQ2Q3Count());
      return;
    }
    p.openClosed("q2q3", "q2", s.getQ2Q3(0), 0, 1.5);
    p.openClosed("q2q3", "q3", s.getQ2Q3(1), 0, 1.5);
  }

  private static void checkLam(ExperimentSpec s, ProblemList p) {
    if (s.getLamCount() != 2) {
      p.add("lam", "needs 2 numbers [lam_1, lam_2], got " + s.getLamCount());
      return;
    }
    p.closed("lam", "lam_1", s.getLam(0), 0, 1);
    p.closed("lam", "lam_2", s.getLam(1), 0, 1);
    if (s.hasLam1() && Double.compare(s.getLam1(), s.getLam(0)) != 0) {
      p.add("lam_1", "must equal lam[0] (" + number(s.getLam(0)) + "), got " + number(s.getLam1()));
    }
    if (s.hasLam2() && Double.compare(s.getLam2(), s.getLam(1)) != 0) {
      p.add("lam_2", "must equal lam[1] (" + number(s.getLam(1)) + "), got " + number(s.getLam2()));
    }
  }

  private void checkPseudoLabels(ExperimentSpec s, ProblemList p) {
    p.oneOf("scorer", s.getScorer(), SCORERS);
    if (s.hasTemp()) {
      p.positive("temp", s.getTemp());
    }
    if (s.hasEta()) {
      p.closed("eta", s.getEta(), 0, 1);
    }
    if (s.hasThreshold()) {
      p.closed("threshold", s.getThreshold(), 0, 1);
    }
    if (s.hasGridSize()) {
      p.atLeast("grid_size", s.getGridSize(), 1);
    }
    if (s.hasNegativeRatio()) {
      p.closedOpen("negative_ratio", s.getNegativeRatio(), 0, 1);
    }
    if (s.hasTopK()) {
      boundByClasses("top_k", s.getTopK(), s, p);
    }
    if (s.hasSparseTopk()) {
      boundByClasses("sparse_topk", s.getSparseTopk(), s, p);
    }
    if (s.hasReweightP()) {
      p.closed("reweight_p", s.getReweightP(), 0, 1);
    }
    if (s.hasT()) {
      p.positive("T", s.getT());
    }
    boolean shipsRelation = catalog.find(s.getDataset()).flatMap(DatasetInfo::relationFile).isPresent();
    if (s.getUseRefinement() && s.getRelation().isEmpty() && !shipsRelation) {
      p.add("use_refinement", "needs a relation matrix: dataset \"" + s.getDataset() + "\" has none, set relation");
    }
    // The global-only ablation changes pseudo-labels; without them it would silently change nothing.
    if (s.hasDampLocalViews() && !s.getDampLocalViews() && !s.getUsePl()) {
      p.add("damp_local_views", "false (global view only) needs use_pl true: it only changes DAMP pseudo-labels");
    }
  }

  private static void boundByClasses(String field, int value, ExperimentSpec s, ProblemList p) {
    if (s.hasNumClasses()) {
      p.between(field, value, 1, s.getNumClasses());
    } else {
      p.atLeast(field, value, 1);
    }
  }

  private static void checkCluster(ExperimentSpec s, ProblemList p) {
    if (s.getScaleLr() && !s.getPerWorkerBsize()) {
      p.add("scale_lr", "needs per_worker_bsize true (with a global bsize the learning rate stays as given)");
    }
    if (s.hasSyncEvery()) {
      p.atLeast("sync_every", s.getSyncEvery(), 1);
    }
    if (s.hasMaxWorkers()) {
      p.atLeast("max_workers", s.getMaxWorkers(), 0);
    }
    if (s.hasCheckpointEverySteps()) {
      p.atLeast("checkpoint_every_steps", s.getCheckpointEverySteps(), 0);
    }
    if (s.getUseFeats()) {
      p.add("use_feats", "only false is supported (training is end to end from images)");
    }
  }
}
