package org.aevlp.cli;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.aevlp.common.spec.SpecException;
import org.aevlp.common.spec.SpecJson;
import org.aevlp.common.spec.SpecLoader;
import org.aevlp.proto.v1.ExperimentSpec;

/**
 * The experiments of a comparison: every method on every seed, seed-major (all methods of the
 * first seed come first, so an interrupted compare has whole rows of seeds). Seed i (0-based) is
 * the config's seed + i; split_seed stays the config's, so every run sees the same data split.
 */
final class ComparePlan {

  /**
   * One experiment of the comparison.
   *
   * @param requestId the Submit idempotency key: {@code compare/<config>/<method>/seed-<seed>/<hash>}
   *     where hash is the first 12 hex digits of the SHA-256 of the spec's JSON, so the same config,
   *     method, seed and overrides always map to the same experiment and any change to a new one
   */
  record Run(CompareMethod method, long seed, ExperimentSpec spec, String requestId) {

    /** The request id of a later attempt after this one failed or was cancelled (attempt >= 2). */
    String requestId(int attempt) {
      return attempt == 1 ? requestId : requestId + "/attempt-" + attempt;
    }
  }

  private ComparePlan() {}

  /**
   * @param configName the config's name in run names and request ids (its file name without .json)
   * @param config the config's spec, defaults filled
   * @throws SpecException when a method's spec breaks a rule (the message names the field)
   */
  static List<Run> runs(String configName, ExperimentSpec config, List<CompareMethod> methods, int seeds)
      throws SpecException {
    SpecLoader loader = SpecLoader.builtIn();
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < seeds; i++) {
      long seed = config.getSeed() + i;
      for (CompareMethod method : methods) {
        String name = configName + "-" + method.id() + "-s" + seed;
        ExperimentSpec spec = loader.resolve(method.apply(config).toBuilder().setName(name).setSeed(seed).build(),
            "method " + method.id() + " of " + configName);
        String requestId = "compare/" + configName + "/" + method.id() + "/seed-" + seed + "/"
            + sha256(SpecJson.toJson(spec)).substring(0, 12);
        runs.add(new Run(method, seed, spec, requestId));
      }
    }
    return runs;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
