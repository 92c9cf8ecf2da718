package org.aevlp.cli.client;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import org.aevlp.common.grpc.GrpcSecurity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.aevlp.proto.v1.CancelRequest;
import org.aevlp.proto.v1.Experiment;
import org.aevlp.proto.v1.ExperimentEvent;
import org.aevlp.proto.v1.ExperimentServiceGrpc;
import org.aevlp.proto.v1.ExperimentServiceGrpc.ExperimentServiceBlockingStub;
import org.aevlp.proto.v1.ExperimentState;
import org.aevlp.proto.v1.GetExperimentRequest;
import org.aevlp.proto.v1.ListExperimentsRequest;
import org.aevlp.proto.v1.SubmitRequest;
import org.aevlp.proto.v1.SubmitResponse;
import org.aevlp.proto.v1.WatchRequest;

/**
 * The coordinator's ExperimentService as plain method calls. Unary calls carry a deadline; Watch
 * has none (it lasts as long as the experiment). Every failure is a {@link CoordinatorException}
 * with a one-line message.
 */
public final class ExperimentClient implements AutoCloseable {

  /** Deadline of each unary call. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(15);

  private final ManagedChannel channel;
  private final String target;
  private final Duration deadline;
  private final ExperimentServiceBlockingStub stub;

  /**
   * @param channel owned by the client from now on (closed by {@link #close})
   * @param target the coordinator address, for messages
   */
  public ExperimentClient(ManagedChannel channel, String target, Duration deadline) {
    this.channel = channel;
    this.target = target;
    this.deadline = deadline;
    this.stub = ExperimentServiceGrpc.newBlockingStub(channel);
  }

  /**
   * A client of the coordinator at {@code target} over {@link CoordinatorChannels#open}, with
   * {@link #DEFAULT_DEADLINE} on unary calls.
   *
   * @throws IOException when the CA file cannot be read or the target is malformed
   */
  public static ExperimentClient connect(String target, GrpcSecurity security) throws IOException {
    return new ExperimentClient(CoordinatorChannels.open(target, security), target, DEFAULT_DEADLINE);
  }

  public String target() {
    return target;
  }

  public SubmitResponse submit(SubmitRequest request) {
    try {
      return withDeadline().submit(request);
    } catch (StatusRuntimeException e) {
      throw CoordinatorException.from(e, target, null);
    }
  }

  public Experiment get(String experimentId) {
    try {
      return withDeadline().get(GetExperimentRequest.newBuilder().setExperimentId(experimentId).build());
    } catch (StatusRuntimeException e) {
      throw CoordinatorException.from(e, target, experimentId);
    }
  }

  /** Experiments newest first; {@code states} empty: all; {@code limit} 0: no limit. */
  public List<Experiment> list(List<ExperimentState> states, int limit) {
    ListExperimentsRequest request = ListExperimentsRequest.newBuilder().addAllStates(states).setLimit(limit).build();
    try {
      return withDeadline().list(request).getExperimentsList();
    } catch (StatusRuntimeException e) {
      throw CoordinatorException.from(e, target, null);
    }
  }

  /** Asks to cancel; returns the state after the request. */
  public ExperimentState cancel(String experimentId) {
    try {
      return withDeadline().cancel(CancelRequest.newBuilder().setExperimentId(experimentId).build()).getState();
    } catch (StatusRuntimeException e) {
      throw CoordinatorException.from(e, target, experimentId);
    }
  }

  /** Hands every event of the experiment (history first, then live) to {@code onEvent} until the stream ends. */
  public void watch(String experimentId, Consumer<ExperimentEvent> onEvent) {
    try {
      Iterator<ExperimentEvent> events = stub.watch(WatchRequest.newBuilder().setExperimentId(experimentId).build());
      while (events.hasNext()) {
        onEvent.accept(events.next());
      }
    } catch (StatusRuntimeException e) {
      throw CoordinatorException.from(e, target, experimentId);
    }
  }

  private ExperimentServiceBlockingStub withDeadline() {
    return stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
