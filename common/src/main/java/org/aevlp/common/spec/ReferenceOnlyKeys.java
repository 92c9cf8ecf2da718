package org.aevlp.common.spec;

import static java.util.Map.entry;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keys of the reference implementation's configs that have no meaning in this project. A spec may
 * carry them (so a reference config submits as is, DESIGN.md §7); they are ignored with a
 * warning that says why.
 */
final class ReferenceOnlyKeys {

  private static final Map<String, String> WHY_IGNORED =
      Map.ofEntries(
          entry("gpu_num", "the cluster gives each worker its own device"),
          entry("num_workers", "reference data-loader processes; the worker count is the cluster's (see max_workers)"),
          entry("save_path", "runs live in the coordinator's run store"),
          entry("exp_name", "use name"),
          entry("experiment_name", "use name"),
          entry("is_train", "unused by the reference training"),
          entry("config_file", "unused by the reference training"),
          entry("use_config_file", "a spec is always a file"),
          entry("source", "the vision-language model is chosen by scorer"),
          entry("n_ctx", "prompt-learning context length, unused by the reference training"),
          entry("ctx_init", "the prompt is fixed: \"a photo of a {class}.\""),
          entry("feat_dim", "follows from arch"));

  private ReferenceOnlyKeys() {}

  /** Why {@code key} is ignored, or empty when it is not a reference-only key. */
  static Optional<String> whyIgnored(String key) {
    return Optional.ofNullable(WHY_IGNORED.get(key));
  }

  static Set<String> keys() {
    return WHY_IGNORED.keySet();
  }
}
