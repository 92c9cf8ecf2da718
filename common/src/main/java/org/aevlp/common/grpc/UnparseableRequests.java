package org.aevlp.common.grpc;

import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers a request whose bytes do not parse as the method's message with INVALID_ARGUMENT naming
 * the message type. grpc-java parses requests before any interceptor or service code sees them and
 * reports a parse failure as UNKNOWN "Application error processing RPC", which tells the client
 * neither that the fault is theirs nor what was expected.
 *
 * <p>{@link #guard} rebinds a service's methods to raw streams and parses each request itself
 * with the method's own marshaller; replies are serialised by the original marshaller, so the wire
 * format, the method names and the reflection schema stay what they were.
 */
public final class UnparseableRequests {

  private static final MethodDescriptor.Marshaller<InputStream> RAW = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(InputStream value) {
      return value;
    }

    @Override
    public InputStream parse(InputStream stream) {
      if (stream.markSupported()) {
        return stream;
      }
      // the stream belongs to the transport only until parse returns
      try {
        return new ByteArrayInputStream(stream.readAllBytes());
      } catch (IOException e) {
        throw Status.INTERNAL.withDescription("request could not be read").withCause(e).asRuntimeException();
      }
    }
  };

  private UnparseableRequests() {}

  /** The same service, with every request parsed here and refused with a reason when it does not parse. */
  public static ServerServiceDefinition guard(ServerServiceDefinition service) {
    ServiceDescriptor original = service.getServiceDescriptor();
    ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
        .setSchemaDescriptor(original.getSchemaDescriptor());
    List<ServerMethodDefinition<InputStream, InputStream>> methods = new ArrayList<>();
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      ServerMethodDefinition<InputStream, InputStream> raw = rawMethod(method);
      descriptor.addMethod(raw.getMethodDescriptor());
      methods.add(raw);
    }
    ServerServiceDefinition.Builder guarded = ServerServiceDefinition.builder(descriptor.build());
    methods.forEach(guarded::addMethod);
    return guarded.build();
  }

  private static <ReqT, RespT> ServerMethodDefinition<InputStream, InputStream> rawMethod(
      ServerMethodDefinition<ReqT, RespT> method) {
    MethodDescriptor<ReqT, RespT> typed = method.getMethodDescriptor();
    MethodDescriptor<InputStream, InputStream> raw = typed.toBuilder(RAW, RAW).build();
    ServerCallHandler<ReqT, RespT> handler = method.getServerCallHandler();
    return ServerMethodDefinition.create(raw, (call, headers) -> {
      ServerCall.Listener<ReqT> listener = handler.startCall(new TypedCall<>(call, typed), headers);
      return new ParsingListener<>(call, typed, listener);
    });
  }

  /** Parses each request; after a refusal the call is closed and the service hears nothing more but the end. */
  private static final class ParsingListener<ReqT> extends ServerCall.Listener<InputStream> {
    private final ServerCall<InputStream, InputStream> call;
    private final MethodDescriptor<ReqT, ?> method;
    private final ServerCall.Listener<ReqT> delegate;
    private boolean refused;

    ParsingListener(ServerCall<InputStream, InputStream> call, MethodDescriptor<ReqT, ?> method,
        ServerCall.Listener<ReqT> delegate) {
      this.call = call;
      this.method = method;
      this.delegate = delegate;
    }

    @Override
    public void onMessage(InputStream message) {
      if (refused) {
        return;
      }
      ReqT request;
      try {
        request = method.parseRequest(message);
      } catch (RuntimeException e) {
        refused = true;
        String type = method.getRequestMarshaller() instanceof MethodDescriptor.ReflectableMarshaller<?> reflectable
            ? reflectable.getMessageClass().getSimpleName()
            : "the request message";
        call.close(Status.INVALID_ARGUMENT.withDescription(
            "the request's bytes do not parse as " + type + " of " + method.getFullMethodName()), new Metadata());
        return;
      }
      delegate.onMessage(request);
    }

    @Override
    public void onHalfClose() {
      if (!refused) {
        delegate.onHalfClose();
      }
    }

    @Override
    public void onCancel() {
      delegate.onCancel();
    }

    @Override
    public void onComplete() {
      delegate.onComplete();
    }

    @Override
    public void onReady() {
      if (!refused) {
        delegate.onReady();
      }
    }
  }

  /** The service's view of the raw call: its own message types, replies serialised by its own marshaller. */
  private static final class TypedCall<ReqT, RespT> extends ServerCall<ReqT, RespT> {
    private final ServerCall<InputStream, InputStream> raw;
    private final MethodDescriptor<ReqT, RespT> method;

    TypedCall(ServerCall<InputStream, InputStream> raw, MethodDescriptor<ReqT, RespT> method) {
      this.raw = raw;
      this.method = method;
    }

    @Override
    public void request(int numMessages) {
      raw.request(numMessages);
    }

    @Override
    public void sendHeaders(Metadata headers) {
      raw.sendHeaders(headers);
    }

    @Override
    public void sendMessage(RespT message) {
      raw.sendMessage(method.streamResponse(message));
    }

    @Override
    public boolean isReady() {
      return raw.isReady();
    }

    @Override
    public void close(Status status, Metadata trailers) {
      raw.close(status, trailers);
    }

    @Override
    public boolean isCancelled() {
      return raw.isCancelled();
    }

    @Override
    public void setMessageCompression(boolean enabled) {
      raw.setMessageCompression(enabled);
    }

    @Override
    public void setCompression(String compressor) {
      raw.setCompression(compressor);
    }

    @Override
    public SecurityLevel getSecurityLevel() {
      return raw.getSecurityLevel();
    }

    @Override
    public Attributes getAttributes() {
      return raw.getAttributes();
    }

    @Override
    public String getAuthority() {
      return raw.getAuthority();
    }

    @Override
    public MethodDescriptor<ReqT, RespT> getMethodDescriptor() {
      return method;
    }
  }
}
