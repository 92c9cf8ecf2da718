package org.aevlp.common.grpc;

import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** A gRPC method as raw bytes both ways: for sending a server bytes that need not be a valid message. */
public final class RawBytes {

  private static final MethodDescriptor.Marshaller<byte[]> MARSHALLER = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private RawBytes() {}

  /** {@code method} with its name and type, taking and returning bytes. */
  public static MethodDescriptor<byte[], byte[]> of(MethodDescriptor<?, ?> method) {
    return MethodDescriptor.<byte[], byte[]>newBuilder().setType(method.getType())
        .setFullMethodName(method.getFullMethodName()).setRequestMarshaller(MARSHALLER)
        .setResponseMarshaller(MARSHALLER).build();
  }
}
