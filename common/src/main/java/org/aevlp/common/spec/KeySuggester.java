package org.aevlp.common.spec;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Proposes the spec key a user probably meant when they wrote an unknown one: a known synonym from
 * other training tools ({@code learning_rate -> lr}) or the key within a small edit distance
 * (typos such as {@code bsise -> bsize}).
 */
final class KeySuggester {

  private static final Map<String, String> SYNONYMS =
      Map.of(
          "learning_rate", "lr",
          "batch_size", "bsize",
          "epochs", "num_epochs",
          "n_epochs", "num_epochs",
          "backbone", "arch",
          "model", "arch",
          "optim", "optimizer",
          "lambda", "lam",
          "temperature", "temp",
          "random_seed", "seed");

  private final Collection<String> knownKeys;

  KeySuggester(Collection<String> knownKeys) {
    this.knownKeys = knownKeys;
  }

  Optional<String> suggest(String unknown) {
    String synonym = SYNONYMS.get(unknown.toLowerCase(Locale.ROOT));
    if (synonym != null && knownKeys.contains(synonym)) {
      return Optional.of(synonym);
    }
    // A typo changes a few characters; allow about one edit per three characters, at most 2.
    int allowed = Math.min(2, Math.max(1, unknown.length() / 3));
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String lower = unknown.toLowerCase(Locale.ROOT);
    for (String key : knownKeys) {
      int distance = editDistance(lower, key.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        best = key;
        bestDistance = distance;
      }
    }
    return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
  }

  /** Levenshtein distance: insertions, deletions and substitutions each cost 1. */
  static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
