package org.aevlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.aevlp.coordinator.runner.RunnerSettings;
import org.aevlp.proto.v1.CancelRequest;
import org.aevlp.proto.v1.Experiment;
import org.aevlp.proto.v1.ExperimentEvent;
import org.aevlp.proto.v1.ExperimentServiceGrpc;
import org.aevlp.proto.v1.ExperimentSpec;
import org.aevlp.proto.v1.ExperimentState;
import org.aevlp.proto.v1.GetExperimentRequest;
import org.aevlp.proto.v1.ListExperimentsRequest;
import org.aevlp.proto.v1.SubmitRequest;
import org.aevlp.proto.v1.SubmitResponse;
import org.aevlp.proto.v1.WatchRequest;
import org.aevlp.worker.actor.NetworkReplicaFactory;
import org.aevlp.worker.actor.WorkerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ExperimentService end to end: the generated client against the coordinator's real gRPC server,
 * with the manager running real (DJL) training on two embedded workers.
 */
class ExperimentServiceEndToEndTest {

  @TempDir Path temp;

  @Test
  void submitWatchListCancelAndGetThroughTheGeneratedClient() throws Exception {
    Path data = ClusterTestData.dataset(temp.resolve("data"));
    ExperimentSpec twoEpochs = ClusterTestData.spec(ClusterTestData.specJson(data, 2, ""));
    ExperimentSpec long_ = ClusterTestData.spec(ClusterTestData.specJson(data, 40, ""));
    try (LoopbackCluster cluster = LoopbackCluster.start(temp.resolve("runs"),
        RunnerSettings.defaults(Optional.empty()))) {
      cluster.addLocalWorkers(2, WorkerSettings.of(Optional.empty(), List.of()), new NetworkReplicaFactory("cpu"));
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", cluster.coordinator().grpcPort())
          .usePlaintext().build();
      try {
        var client = ExperimentServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.MINUTES);

        assertEquals(HealthCheckResponse.ServingStatus.SERVING, HealthGrpc.newBlockingStub(channel)
            .check(HealthCheckRequest.newBuilder().setService(ExperimentServiceGrpc.SERVICE_NAME).build())
            .getStatus());

        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> client.submit(
            SubmitRequest.newBuilder().setSpec(twoEpochs.toBuilder().setBsize(0)).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        assertTrue(refused.getStatus().getDescription().contains("bsize"), refused.getStatus().getDescription());

        SubmitResponse first = client.submit(SubmitRequest.newBuilder().setRequestId("e2e-1").setSpec(twoEpochs)
            .build());
        SubmitResponse repeated = client.submit(SubmitRequest.newBuilder().setRequestId("e2e-1").setSpec(twoEpochs)
            .build());
        assertEquals(first.getExperimentId(), repeated.getExperimentId());
        assertTrue(repeated.getDuplicate());
        SubmitResponse second = client.submit(SubmitRequest.newBuilder().setRequestId("e2e-2").setSpec(long_)
            .build());
        assertEquals(1, second.getQueuePosition());

        List<ExperimentEvent> events = new ArrayList<>();
        Iterator<ExperimentEvent> stream = client.watch(WatchRequest.newBuilder()
            .setExperimentId(first.getExperimentId()).build());
        stream.forEachRemaining(events::add);
        assertTrue(events.stream().anyMatch(ExperimentEvent::hasProgress), "step progress streamed");
        assertEquals(List.of(1, 2), events.stream().filter(ExperimentEvent::hasEpoch)
            .map(e -> e.getEpoch().getEpoch()).toList());
        ExperimentEvent last = events.get(events.size() - 1);
        assertTrue(last.hasResult(), "the stream ends with the final result: " + last);
        assertTrue(last.getResult().getTestMap() > 0);
        events.stream().filter(ExperimentEvent::hasProgress).map(ExperimentEvent::getProgress)
            .forEach(p -> assertTrue(p.getImagesPerSecond() > 0 && p.getEtaSeconds() >= 0, p.toString()));

        Experiment done = client.get(GetExperimentRequest.newBuilder().setExperimentId(first.getExperimentId())
            .build());
        assertEquals(ExperimentState.COMPLETED, done.getState());
        assertEquals(2, done.getEpochsCount());
        assertEquals(last.getResult(), done.getResult());

        // the second one is running now; cancel it at a step boundary
        Iterator<ExperimentEvent> secondStream = client.watch(WatchRequest.newBuilder()
            .setExperimentId(second.getExperimentId()).build());
        while (!secondStream.next().hasProgress()) {
          // wait for its first step
        }
        assertEquals(ExperimentState.CANCELLED, client.cancel(CancelRequest.newBuilder()
            .setExperimentId(second.getExperimentId()).build()).getState());
        assertEquals(ExperimentState.CANCELLED, client.cancel(CancelRequest.newBuilder()
            .setExperimentId(second.getExperimentId()).build()).getState(), "cancelling twice");
        List<ExperimentEvent> rest = new ArrayList<>();
        secondStream.forEachRemaining(rest::add);
        assertEquals(ExperimentState.CANCELLED, rest.get(rest.size() - 1).getState().getState());

        List<Experiment> completed = client.list(ListExperimentsRequest.newBuilder()
            .addStates(ExperimentState.COMPLETED).build()).getExperimentsList();
        assertEquals(List.of(first.getExperimentId()), completed.stream().map(Experiment::getExperimentId).toList());
        assertEquals(List.of(second.getExperimentId(), first.getExperimentId()),
            client.list(ListExperimentsRequest.getDefaultInstance()).getExperimentsList().stream()
                .map(Experiment::getExperimentId).toList());

        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class,
            () -> client.get(GetExperimentRequest.newBuilder().setExperimentId("nope").build()));
        assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());
        StatusRuntimeException unknownWatch = assertThrows(StatusRuntimeException.class,
            () -> client.watch(WatchRequest.newBuilder().setExperimentId("nope").build()).hasNext());
        assertEquals(Status.Code.NOT_FOUND, unknownWatch.getStatus().getCode());
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
