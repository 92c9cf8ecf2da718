package org.aevlp.cli.client;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.aevlp.proto.v1.CancelRequest;
import org.aevlp.proto.v1.CancelResponse;
import org.aevlp.proto.v1.Experiment;
import org.aevlp.proto.v1.ExperimentEvent;
import org.aevlp.proto.v1.ExperimentServiceGrpc;
import org.aevlp.proto.v1.ExperimentState;
import org.aevlp.proto.v1.GetExperimentRequest;
import org.aevlp.proto.v1.ListExperimentsRequest;
import org.aevlp.proto.v1.ListExperimentsResponse;
import org.aevlp.proto.v1.SubmitRequest;
import org.aevlp.proto.v1.SubmitResponse;
import org.aevlp.proto.v1.WatchRequest;

/**
 * A stand-in ExperimentService for transport tests: records what it was asked and answers with
 * fixed replies (or a fixed failure). The real service is the coordinator's.
 */
final class RecordingExperimentService extends ExperimentServiceGrpc.ExperimentServiceImplBase {

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  final List<Object> requests = new CopyOnWriteArrayList<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();

  volatile Status failure;
  volatile SubmitResponse submitReply = SubmitResponse.getDefaultInstance();
  volatile Experiment getReply = Experiment.getDefaultInstance();
  volatile List<Experiment> listReply = List.of();
  volatile List<ExperimentEvent> watchReply = List.of();
  volatile ExperimentState cancelReply = ExperimentState.CANCELLED;

  /** Records the authorization header of every call (empty string when absent). */
  ServerInterceptor authorizationRecorder() {
    return new ServerInterceptor() {
      @Override
      public <Q, A> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        String value = headers.get(AUTHORIZATION);
        authorizations.add(value == null ? "" : value);
        return next.startCall(call, headers);
      }
    };
  }

  <T> List<T> requestsOf(Class<T> type) {
    List<T> found = new ArrayList<>();
    for (Object request : requests) {
      if (type.isInstance(request)) {
        found.add(type.cast(request));
      }
    }
    return found;
  }

  @Override
  public void submit(SubmitRequest request, StreamObserver<SubmitResponse> reply) {
    answer(request, reply, submitReply);
  }

  @Override
  public void get(GetExperimentRequest request, StreamObserver<Experiment> reply) {
    answer(request, reply, getReply);
  }

  @Override
  public void list(ListExperimentsRequest request, StreamObserver<ListExperimentsResponse> reply) {
    answer(request, reply, ListExperimentsResponse.newBuilder().addAllExperiments(listReply).build());
  }

  @Override
  public void cancel(CancelRequest request, StreamObserver<CancelResponse> reply) {
    answer(request, reply, CancelResponse.newBuilder().setState(cancelReply).build());
  }

  @Override
  public void watch(WatchRequest request, StreamObserver<ExperimentEvent> reply) {
    requests.add(request);
    if (failure != null) {
      reply.onError(failure.asRuntimeException());
      return;
    }
    watchReply.forEach(reply::onNext);
    reply.onCompleted();
  }

  private <T> void answer(Object request, StreamObserver<T> reply, T value) {
    requests.add(request);
    if (failure != null) {
      reply.onError(failure.asRuntimeException());
      return;
    }
    reply.onNext(value);
    reply.onCompleted();
  }
}
