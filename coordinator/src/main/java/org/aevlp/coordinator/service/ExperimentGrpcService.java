package org.aevlp.coordinator.service;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.aevlp.coordinator.experiments.ExperimentManager;
import org.aevlp.proto.v1.CancelRequest;
import org.aevlp.proto.v1.CancelResponse;
import org.aevlp.proto.v1.Experiment;
import org.aevlp.proto.v1.ExperimentEvent;
import org.aevlp.proto.v1.ExperimentServiceGrpc;
import org.aevlp.proto.v1.GetExperimentRequest;
import org.aevlp.proto.v1.ListExperimentsRequest;
import org.aevlp.proto.v1.ListExperimentsResponse;
import org.aevlp.proto.v1.SubmitRequest;
import org.aevlp.proto.v1.SubmitResponse;
import org.aevlp.proto.v1.WatchRequest;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * ExperimentService over gRPC: each call is one message to the {@link ExperimentManager} (a
 * cluster singleton, reached through its proxy), and a Watch is a {@link WatchStream} actor that
 * relays the manager's events to the client.
 */
public final class ExperimentGrpcService extends ExperimentServiceGrpc.ExperimentServiceImplBase {

  private final ActorSystem<?> system;
  private final ActorRef<ExperimentManager.Command> manager;
  private final Duration timeout;
  private final Duration cancelTimeout;

  /**
   * @param timeout how long a query may wait for the manager
   * @param cancelTimeout how long Cancel may wait for the experiment to reach a step boundary
   */
  public ExperimentGrpcService(ActorSystem<?> system, ActorRef<ExperimentManager.Command> manager, Duration timeout,
      Duration cancelTimeout) {
    this.system = system;
    this.manager = manager;
    this.timeout = timeout;
    this.cancelTimeout = cancelTimeout;
  }

  @Override
  public void submit(SubmitRequest request, StreamObserver<SubmitResponse> response) {
    if (!request.hasSpec()) {
      response.onError(Status.INVALID_ARGUMENT.withDescription("spec: required").asRuntimeException());
      return;
    }
    reply(AskPattern.<ExperimentManager.Command, ExperimentManager.SubmitReply>ask(manager,
        replyTo -> new ExperimentManager.Submit(request.getRequestId(), Optional.empty(), request.getSpec(), replyTo),
        timeout, system.scheduler()),
        r -> r.accepted().orElseThrow(() -> Status.INVALID_ARGUMENT.withDescription(r.refusal()).asRuntimeException()),
        response);
  }

  @Override
  public void get(GetExperimentRequest request, StreamObserver<Experiment> response) {
    String id = request.getExperimentId();
    reply(AskPattern.<ExperimentManager.Command, Optional<Experiment>>ask(manager,
        replyTo -> new ExperimentManager.Get(id, replyTo), timeout, system.scheduler()),
        found -> found.orElseThrow(() -> notFound(id)), response);
  }

  @Override
  public void list(ListExperimentsRequest request, StreamObserver<ListExperimentsResponse> response) {
    if (request.getLimit() < 0) {
      response.onError(Status.INVALID_ARGUMENT.withDescription("limit: must be >= 0, got " + request.getLimit())
          .asRuntimeException());
      return;
    }
    reply(AskPattern.<ExperimentManager.Command, ListExperimentsResponse>ask(manager,
        replyTo -> new ExperimentManager.ListExperiments(request, replyTo), timeout, system.scheduler()),
        Function.identity(), response);
  }

  @Override
  public void cancel(CancelRequest request, StreamObserver<CancelResponse> response) {
    String id = request.getExperimentId();
    reply(AskPattern.<ExperimentManager.Command, Optional<CancelResponse>>ask(manager,
        replyTo -> new ExperimentManager.Cancel(id, replyTo), cancelTimeout, system.scheduler()),
        found -> found.orElseThrow(() -> notFound(id)), response);
  }

  @Override
  public void watch(WatchRequest request, StreamObserver<ExperimentEvent> response) {
    ServerCallStreamObserver<ExperimentEvent> stream = (ServerCallStreamObserver<ExperimentEvent>) response;
    ActorRef<WatchStream.Message> relay = system.systemActorOf(WatchStream.create(manager, request.getExperimentId(),
        stream), "watch-" + java.util.UUID.randomUUID(), Props.empty());
    stream.setOnCancelHandler(() -> relay.tell(WatchStream.ClientGone.INSTANCE));
  }

  private static StatusRuntimeException notFound(String id) {
    return Status.NOT_FOUND.withDescription("no experiment " + (id.isEmpty() ? "(empty id)" : id))
        .asRuntimeException();
  }

  private static <A, R> void reply(CompletionStage<A> answer, Function<A, R> toResponse, StreamObserver<R> response) {
    answer.whenComplete((value, error) -> {
      if (error != null) {
        response.onError(Status.UNAVAILABLE.withDescription("the experiment manager did not answer in time: "
            + error.getMessage()).asRuntimeException());
        return;
      }
      try {
        R r = toResponse.apply(value);
        response.onNext(r);
        response.onCompleted();
      } catch (StatusRuntimeException e) {
        response.onError(e);
      }
    });
  }
}
