package org.aevlp.cli.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * A call to the coordinator that did not succeed, with a one-line message for people and the
 * command's exit code ({@link ExitCode}).
 */
public final class CoordinatorException extends RuntimeException {

  private final int exitCode;

  public CoordinatorException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }

  /**
   * Translates a failed call: what went wrong in words the user can act on.
   *
   * @param target the coordinator address the call went to
   * @param experimentId the experiment the call was about, or null
   */
  public static CoordinatorException from(StatusRuntimeException e, String target, String experimentId) {
    Status status = e.getStatus();
    String description = status.getDescription() == null ? "" : status.getDescription();
    return switch (status.getCode()) {
      case UNAVAILABLE -> new CoordinatorException(
          "cannot reach the coordinator at " + target + " (is `aevlp coordinator` running?)", ExitCode.RPC_ERROR);
      case NOT_FOUND -> new CoordinatorException(
          experimentId == null ? "not found: " + description : "no experiment " + experimentId, ExitCode.BAD_INPUT);
      case INVALID_ARGUMENT -> new CoordinatorException(
          description.isEmpty() ? "the coordinator rejected the request" : description, ExitCode.BAD_INPUT);
      case UNAUTHENTICATED -> new CoordinatorException(
          "the coordinator refused the token: set " + ClientOptions.TOKEN_ENV + " or --token-file", ExitCode.RPC_ERROR);
      case DEADLINE_EXCEEDED -> new CoordinatorException(
          "the coordinator at " + target + " did not answer in time", ExitCode.RPC_ERROR);
      default -> new CoordinatorException(
          "the coordinator at " + target + " answered " + status.getCode()
              + (description.isEmpty() ? "" : ": " + firstLine(description)),
          ExitCode.RPC_ERROR);
    };
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
