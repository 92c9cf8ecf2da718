package org.aevlp.common.runs;

import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A checkpoint file in a run's {@code checkpoints/} directory, named {@code
 * epoch-EEEE-step-SSSSSSSSS.ckpt} so that names sort like (epoch, step).
 *
 * @param epoch epoch the checkpoint was taken in (0: before training)
 * @param step global step count when it was taken
 */
public record CheckpointRef(int epoch, long step) implements Comparable<CheckpointRef> {

  private static final Pattern NAME = Pattern.compile("epoch-(\\d{1,9})-step-(\\d{1,18})\\.ckpt");
  private static final Comparator<CheckpointRef> ORDER =
      Comparator.comparingInt(CheckpointRef::epoch).thenComparingLong(CheckpointRef::step);

  public CheckpointRef {
    if (epoch < 0) {
      throw new IllegalArgumentException("checkpoint epoch must be >= 0, got " + epoch);
    }
    if (step < 0) {
      throw new IllegalArgumentException("checkpoint step must be >= 0, got " + step);
    }
  }

  /** File name inside {@code checkpoints/}. */
  public String fileName() {
    return String.format("epoch-%04d-step-%09d.ckpt", epoch, step);
  }

  /** The checkpoint a file name denotes; empty for any other name (temporary files included). */
  static Optional<CheckpointRef> parse(String fileName) {
    Matcher m = NAME.matcher(fileName);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new CheckpointRef(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2))));
  }

  @Override
  public int compareTo(CheckpointRef other) {
    return ORDER.compare(this, other);
  }
}
