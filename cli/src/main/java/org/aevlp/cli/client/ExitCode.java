package org.aevlp.cli.client;

import org.aevlp.proto.v1.ExperimentState;

/**
 * Exit codes shared by the client commands ({@code submit}, {@code watch}, {@code list},
 * {@code get}, {@code cancel}), so a script can tell a failed experiment from an unreachable
 * coordinator. Picocli's own usage errors already exit with {@link #BAD_INPUT}.
 */
public final class ExitCode {

  /** The command did what was asked; for a followed experiment: it COMPLETED. */
  public static final int SUCCESS = 0;
  /** The followed experiment FAILED. */
  public static final int EXPERIMENT_FAILED = 1;
  /** Bad arguments, an invalid spec or an unknown experiment id. */
  public static final int BAD_INPUT = 2;
  /** The followed experiment was CANCELLED. */
  public static final int EXPERIMENT_CANCELLED = 4;
  /** The coordinator could not be reached or the call failed. */
  public static final int RPC_ERROR = 5;

  /** Help lines (picocli's "key:description" form) listing the codes above. */
  static final String HEADING = "%nExit codes:%n";

  static final String LINE_SUCCESS = "0:success (watch, submit --watch: the experiment COMPLETED)";
  static final String LINE_FAILED = "1:the followed experiment FAILED";
  static final String LINE_BAD_INPUT = "2:bad arguments, invalid spec or unknown experiment id";
  static final String LINE_CANCELLED = "4:the followed experiment was CANCELLED";
  static final String LINE_RPC = "5:coordinator unreachable or the call failed";

  private ExitCode() {}

  /**
   * The exit code of a command that followed an experiment to its end.
   *
   * @throws IllegalArgumentException for a state that is not final
   */
  public static int forFinalState(ExperimentState state) {
    return switch (state) {
      case COMPLETED -> SUCCESS;
      case FAILED -> EXPERIMENT_FAILED;
      case CANCELLED -> EXPERIMENT_CANCELLED;
      default -> throw new IllegalArgumentException("not a final state: " + state);
    };
  }

  /** COMPLETED, FAILED or CANCELLED: the experiment will not change any more. */
  public static boolean isFinal(ExperimentState state) {
    return state == ExperimentState.COMPLETED || state == ExperimentState.FAILED || state == ExperimentState.CANCELLED;
  }
}
