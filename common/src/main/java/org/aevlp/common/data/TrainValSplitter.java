package org.aevlp.common.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Splits the official training set into train and validation rows, then optionally subsamples
 * each, all from seeds (DESIGN.md section 5). The procedure, fixed so a seed always gives the same
 * split on every JVM (it does not reproduce numpy's stream):
 *
 * <ol>
 *   <li>{@code nVal = rint(val_frac * n)} (round half to even, like {@code np.round}) and
 *       {@code nTrain = n - nVal}; both must be at least 1.
 *   <li>Permute {@code 0..n-1} with a Fisher-Yates shuffle driven by
 *       {@code new SplittableRandom(split_seed)}: for {@code i} from {@code n-1} down to 1, swap
 *       {@code i} with {@code nextInt(i + 1)}.
 *   <li>The first {@code nTrain} permuted rows are train, the remaining {@code nVal} validation;
 *       each set is sorted ascending, so splits keep the files' row order.
 *   <li>Subsampling with {@code frac < 1}: keep {@code rint(frac * m)} (at least 1) of a split's
 *       {@code m} rows, chosen as the first ones of the same shuffle applied to the split's rows,
 *       then sorted. The generator of the train split is the first {@code split()} of
 *       {@code new SplittableRandom(ss_seed)}, that of the validation split the second, so
 *       neither depends on the other's fraction. {@code frac = 1} keeps every row and draws nothing.
 * </ol>
 */
public final class TrainValSplitter {

  private TrainValSplitter() {}

  /** The row indices (into the official training split) of train and validation. */
  public static SplitPlan plan(int officialTrainSize, SplitOptions options) {
    int n = officialTrainSize;
    int nVal = (int) Math.rint(options.valFrac() * n);
    int nTrain = n - nVal;
    if (nVal < 1 || nTrain < 1) {
      throw new IllegalArgumentException(
          "val_frac " + options.valFrac() + " of " + n + " training images leaves " + nTrain
              + " for train and " + nVal + " for validation; both need at least one");
    }
    int[] permuted = shuffle(identity(n), new SplittableRandom(options.splitSeed()));
    int[] train = sorted(Arrays.copyOfRange(permuted, 0, nTrain));
    int[] val = sorted(Arrays.copyOfRange(permuted, nTrain, n));

    SplittableRandom subsampling = new SplittableRandom(options.ssSeed());
    SplittableRandom trainRandom = subsampling.split();
    SplittableRandom valRandom = subsampling.split();
    return new SplitPlan(
        subsample(train, options.ssFracTrain(), trainRandom, "ss_frac_train"),
        subsample(val, options.ssFracVal(), valRandom, "ss_frac_val"));
  }

  private static int[] subsample(int[] rows, double frac, SplittableRandom random, String key) {
    if (frac == 1.0) {
      return rows;
    }
    int keep = (int) Math.rint(frac * rows.length);
    if (keep < 1) {
      throw new IllegalArgumentException(
          key + " " + frac + " of " + rows.length + " images keeps none; raise it or use 1.0");
    }
    return sorted(Arrays.copyOf(shuffle(rows.clone(), random), keep));
  }

  private static int[] shuffle(int[] values, SplittableRandom random) {
    for (int i = values.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
    return values;
  }

  private static int[] identity(int n) {
    int[] values = new int[n];
    for (int i = 0; i < n; i++) {
      values[i] = i;
    }
    return values;
  }

  private static int[] sorted(int[] values) {
    Arrays.sort(values);
    return values;
  }
}
