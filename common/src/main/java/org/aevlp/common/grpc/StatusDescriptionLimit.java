package org.aevlp.common.grpc;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;

/**
 * Shortens status descriptions that would not fit in the client's trailers. A refusal often quotes
 * what the client sent ({@code unknown dataset "..."}); quoting a 10 kB id made the trailers exceed
 * the client's 8 KiB header limit, and the client saw INTERNAL "http2 exception" instead of the
 * refusal. The description travels percent-encoded, so the bound is on that encoding.
 */
public final class StatusDescriptionLimit implements ServerInterceptor {

  /** Most percent-encoded bytes of a description: half the 8 KiB a client accepts by default. */
  public static final int MAX_ENCODED_BYTES = 4096;

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
      ServerCallHandler<ReqT, RespT> next) {
    return next.startCall(new SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        String description = status.getDescription();
        super.close(description == null ? status : status.withDescription(bounded(description)), trailers);
      }
    }, headers);
  }

  /** The description itself when its encoding fits, else its longest prefix that fits, marked as cut. */
  static String bounded(String description) {
    int budget = MAX_ENCODED_BYTES - 64;
    int encoded = 0;
    int end = 0;
    while (end < description.length()) {
      int codePoint = description.codePointAt(end);
      int size = encodedSize(codePoint);
      if (encoded + size > budget) {
        break;
      }
      encoded += size;
      end += Character.charCount(codePoint);
    }
    if (end == description.length()) {
      return description;
    }
    return description.substring(0, end) + "... (" + (description.length() - end) + " more characters)";
  }

  /** gRPC sends printable ASCII but '%' as is and every other UTF-8 byte as %XX. */
  private static int encodedSize(int codePoint) {
    if (codePoint >= 0x20 && codePoint < 0x7f && codePoint != '%') {
      return 1;
    }
    return 3 * new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
  }
}
