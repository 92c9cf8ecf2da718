package org.aevlp.cli;

import static org.aevlp.common.spec.SpecVocabulary.AN_LOSS;
import static org.aevlp.common.spec.SpecVocabulary.AN_PL_LOSS;
import static org.aevlp.common.spec.SpecVocabulary.CLEAN;
import static org.aevlp.common.spec.SpecVocabulary.FULL_LOSS;
import static org.aevlp.common.spec.SpecVocabulary.GPR_LOSS;
import static org.aevlp.common.spec.SpecVocabulary.OBSERVED;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.aevlp.proto.v1.ExperimentSpec;
import org.aevlp.worker.loss.EpochSchedule;
import org.aevlp.worker.loss.ScheduleValues;

/**
 * A method of {@code aevlp compare}: what it changes in the config's spec (DESIGN §4). The
 * baselines set the loss and use_pl; the ablations are AEVLP (gpr_loss + DAMP pseudo-labels) with
 * one part of DAMP or of the loss schedule taken away. Every other field stays the config's.
 */
enum CompareMethod {
  FULL("full", "full_loss on the complete (clean) labels: the upper bound", false),
  AN("an", "an_loss: every unobserved label taken as negative", false),
  AN_PL("an_pl", "an_pl_loss: AN with the DAMP positives as 1", true),
  GPR("gpr", "gpr_loss without pseudo-labels", false),
  AEVLP("aevlp", "gpr_loss with DAMP pseudo-labels (the method)", true),
  AEVLP_GLOBAL("aevlp-global", "AEVLP, DAMP from the global view only (damp_local_views false)", true),
  AEVLP_NO_ETA("aevlp-no-eta", "AEVLP without the eta gating: eta 0, so gamma = 1 and every class takes alpha", true),
  AEVLP_NO_GCN("aevlp-no-gcn", "AEVLP without GCN text refinement (use_refinement false)", true),
  AEVLP_FIXED_KV("aevlp-fixed-kv", "AEVLP with K and V fixed at their epoch-1 values (constant beta and alpha)", true);

  /** The {@code --methods} word that stands for every ablation. */
  static final String ABLATIONS = "ablations";

  private final String id;
  private final String description;
  private final boolean pseudoLabels;

  CompareMethod(String id, String description, boolean pseudoLabels) {
    this.id = id;
    this.description = description;
    this.pseudoLabels = pseudoLabels;
  }

  /** The name used on the command line, in tables and in request ids. */
  String id() {
    return id;
  }

  String description() {
    return description;
  }

  /** Whether the method trains with DAMP pseudo-labels (and so needs a labeler). */
  boolean usesPseudoLabels() {
    return pseudoLabels;
  }

  boolean isAblation() {
    return ordinal() > AEVLP.ordinal();
  }

  /** The config's spec as this method runs it; name and seed are the caller's to set. */
  ExperimentSpec apply(ExperimentSpec config) {
    ExperimentSpec.Builder b = config.toBuilder();
    switch (this) {
      case FULL -> b.setLoss(FULL_LOSS).setUsePl(false).setTrainSetVariant(CLEAN);
      case AN -> b.setLoss(AN_LOSS).setUsePl(false).setTrainSetVariant(OBSERVED);
      case AN_PL -> b.setLoss(AN_PL_LOSS).setUsePl(true).setTrainSetVariant(OBSERVED);
      case GPR -> b.setLoss(GPR_LOSS).setUsePl(false).setTrainSetVariant(OBSERVED);
      case AEVLP -> aevlp(b);
      case AEVLP_GLOBAL -> aevlp(b).setDampLocalViews(false);
      // eta 0 makes gamma_c = [alpha_c > 0], true for every class whose softmax score is positive;
      // where it underflows to 0, beta is 0 too, so s_final is the same as with gamma = 1.
      case AEVLP_NO_ETA -> aevlp(b).setEta(0);
      case AEVLP_NO_GCN -> aevlp(b).setUseRefinement(false);
      case AEVLP_FIXED_KV -> fixSchedules(aevlp(b), config);
      default -> throw new IllegalStateException("unhandled method " + this);
    }
    return b.build();
  }

  /**
   * Why this ablation would run exactly AEVLP's spec for this config (so comparing it says
   * nothing), or empty when it changes something.
   */
  Optional<String> sameAsAevlp(ExperimentSpec config) {
    if (!isAblation() || !apply(config).equals(AEVLP.apply(config))) {
      return Optional.empty();
    }
    String why = switch (this) {
      case AEVLP_GLOBAL -> "the config already sets damp_local_views false";
      case AEVLP_NO_ETA -> "the config's eta is already 0 (gamma is 1 for every class)";
      case AEVLP_NO_GCN -> "the config does not refine with the GCN (use_refinement false)";
      case AEVLP_FIXED_KV -> "the config's K/V schedules are already constant";
      default -> "it changes nothing";
    };
    return Optional.of(id + " would run the same spec as aevlp: " + why);
  }

  private static ExperimentSpec.Builder aevlp(ExperimentSpec.Builder b) {
    return b.setLoss(GPR_LOSS).setUsePl(true).setTrainSetVariant(OBSERVED);
  }

  /**
   * beta = [w, w, b, b] and alpha = [mu, sigma, mu, sigma] with the values {@link EpochSchedule}
   * gives epoch 1: interpolating between equal ends yields them in every epoch.
   */
  private static ExperimentSpec.Builder fixSchedules(ExperimentSpec.Builder b, ExperimentSpec config) {
    ScheduleValues first = EpochSchedule.fromReference(toArray(config.getBetaList()),
        toArray(config.getAlphaList()), toArray(config.getQ2Q3List()), config.getNumEpochs(), config.getLinearInit())
        .at(1);
    return b.clearBeta().addAllBeta(List.of(first.w(), first.w(), first.b(), first.b()))
        .clearAlpha().addAllAlpha(List.of(first.mu(), first.sigma(), first.mu(), first.sigma()));
  }

  private static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * The methods a {@code --methods} value names, in its order without repeats; {@value #ABLATIONS}
   * stands for the four ablations.
   *
   * @throws IllegalArgumentException naming an unknown method and listing the known ones
   */
  static List<CompareMethod> parse(String list) {
    Set<CompareMethod> methods = new LinkedHashSet<>();
    for (String word : list.split(",")) {
      String name = word.strip().toLowerCase(Locale.ROOT);
      if (name.isEmpty()) {
        continue;
      }
      if (name.equals(ABLATIONS)) {
        Arrays.stream(values()).filter(CompareMethod::isAblation).forEach(methods::add);
        continue;
      }
      methods.add(Arrays.stream(values()).filter(m -> m.id.equals(name)).findFirst().orElseThrow(
          () -> new IllegalArgumentException("unknown method \"" + name + "\"; known: " + names() + ", "
              + ABLATIONS)));
    }
    if (methods.isEmpty()) {
      throw new IllegalArgumentException("no method given; known: " + names() + ", " + ABLATIONS);
    }
    return new ArrayList<>(methods);
  }

  /** Every method id, comma-separated. */
  static String names() {
    return Arrays.stream(values()).map(CompareMethod::id).collect(Collectors.joining(", "));
  }
}
