package org.aevlp.common.grpc;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a call through only when it carries {@code authorization: Bearer <token>} with the
 * server's token; others are closed with UNAUTHENTICATED. Health and reflection stay open so
 * probes and tools work without the secret.
 *
 * <p>Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, whose time does
 * not depend on where the bytes differ, nor (through the digest) on the presented length.
 */
final class BearerTokenInterceptor implements ServerInterceptor {

  private static final Logger LOG = LoggerFactory.getLogger(BearerTokenInterceptor.class);

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  static final String SCHEME = "Bearer ";
  static final String REJECTION = "missing or invalid bearer token";

  /** Services callable without the token. */
  static final Set<String> OPEN_SERVICES = Set.of(HealthGrpc.SERVICE_NAME, ServerReflectionGrpc.SERVICE_NAME);

  private final byte[] expectedDigest;

  BearerTokenInterceptor(String token) {
    this.expectedDigest = sha256(token);
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
      ServerCallHandler<Q, A> next) {
    if (OPEN_SERVICES.contains(call.getMethodDescriptor().getServiceName()) || authorized(headers.get(AUTHORIZATION))) {
      return next.startCall(call, headers);
    }
    LOG.warn("rejected {} from {}: {}", call.getMethodDescriptor().getFullMethodName(),
        call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR),
        headers.containsKey(AUTHORIZATION) ? "wrong bearer token" : "no bearer token");
    call.close(Status.UNAUTHENTICATED.withDescription(REJECTION), new Metadata());
    return new ServerCall.Listener<>() {};
  }

  private boolean authorized(String header) {
    if (header == null || header.length() < SCHEME.length()
        || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return false;
    }
    return MessageDigest.isEqual(expectedDigest, sha256(header.substring(SCHEME.length()).strip()));
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256, which every Java platform must have", e);
    }
  }
}
