package org.aevlp.common.grpc;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.util.concurrent.Executor;

/** Adds {@code authorization: Bearer <token>} to every call of a channel. */
final class BearerTokenCredentials extends CallCredentials {

  private final String headerValue;

  BearerTokenCredentials(String token) {
    this.headerValue = BearerTokenInterceptor.SCHEME + token;
  }

  @Override
  public void applyRequestMetadata(RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
    Metadata headers = new Metadata();
    headers.put(BearerTokenInterceptor.AUTHORIZATION, headerValue);
    applier.apply(headers);
  }

  @Override
  public String toString() {
    return "BearerTokenCredentials[token hidden]";
  }
}
