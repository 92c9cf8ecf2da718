package org.aevlp.labeler.service;

import io.grpc.Status;

/**
 * A request broke a rule; the message is {@code "<field>: <rule>"} and becomes the description of
 * the gRPC status (INVALID_ARGUMENT, or OUT_OF_RANGE for an index outside its dataset).
 */
public final class InvalidRequestException extends Exception {

  private final Status.Code code;
  private final String field;

  public InvalidRequestException(Status.Code code, String field, String rule) {
    super(field + ": " + rule);
    this.code = code;
    this.field = field;
  }

  /** An INVALID_ARGUMENT problem. */
  public static InvalidRequestException invalid(String field, String rule) {
    return new InvalidRequestException(Status.Code.INVALID_ARGUMENT, field, rule);
  }

  public Status.Code code() {
    return code;
  }

  /** The offending field's path in the request, e.g. {@code samples[3].index}. */
  public String field() {
    return field;
  }

  /** The gRPC status to answer with. */
  public Status toStatus() {
    return Status.fromCode(code).withDescription(getMessage());
  }
}
