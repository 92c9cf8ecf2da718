package org.aevlp.common.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.aevlp.common.cluster.LabelerProtocol.GetEndpoint;
import org.aevlp.common.cluster.LabelerProtocol.LabelerEndpoint;
import org.aevlp.common.cluster.WorkerProtocol.Applied;
import org.aevlp.common.cluster.WorkerProtocol.ApplyUpdate;
import org.aevlp.common.cluster.WorkerProtocol.Command;
import org.aevlp.common.cluster.WorkerProtocol.EvalSplit;
import org.aevlp.common.cluster.WorkerProtocol.LoadState;
import org.aevlp.common.cluster.WorkerProtocol.MicroBatchDone;
import org.aevlp.common.cluster.WorkerProtocol.Predict;
import org.aevlp.common.cluster.WorkerProtocol.Predictions;
import org.aevlp.common.cluster.WorkerProtocol.Prepare;
import org.aevlp.common.cluster.WorkerProtocol.Prepared;
import org.aevlp.common.cluster.WorkerProtocol.PublishState;
import org.aevlp.common.cluster.WorkerProtocol.Release;
import org.aevlp.common.cluster.WorkerProtocol.Reply;
import org.aevlp.common.cluster.WorkerProtocol.RunMicroBatch;
import org.aevlp.common.cluster.WorkerProtocol.StateLoaded;
import org.aevlp.common.cluster.WorkerProtocol.StatePart;
import org.aevlp.common.cluster.WorkerProtocol.StatePublished;
import org.aevlp.common.cluster.WorkerProtocol.StepTimings;
import org.aevlp.common.cluster.WorkerProtocol.TensorEndpoint;
import org.aevlp.common.cluster.WorkerProtocol.WorkerFailed;
import org.aevlp.common.eval.PseudoLabelCounts;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClusterMessageSerializerTest {

  private static ActorTestKit testKit;
  private static Serialization serialization;
  private static ActorRef<Reply> runner;
  private static ActorRef<Command> worker;
  private static ActorRef<LabelerProtocol.Command> labeler;
  private static ActorRef<LabelerEndpoint> discovery;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("serializer", new ClusterNodeConfig("127.0.0.1", 0, List.of(), Set.of("worker"))
        .toConfig());
    serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
    TestProbe<Reply> runnerProbe = testKit.createTestProbe(Reply.class);
    TestProbe<Command> workerProbe = testKit.createTestProbe(Command.class);
    runner = runnerProbe.getRef();
    worker = workerProbe.getRef();
    labeler = testKit.createTestProbe(LabelerProtocol.Command.class).getRef();
    discovery = testKit.createTestProbe(LabelerEndpoint.class).getRef();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** One instance of every message that crosses nodes, with non-default values in every field. */
  private static List<ClusterMessage> samples() {
    return List.of(
        new Prepare("exp-1", "{\"dataset\":\"synthetic\"}", new TensorEndpoint("127.0.0.1", 7070, "store-9"), runner),
        new RunMicroBatch("exp-1", 3, 17, 1, List.of(5, 9, 2), 2, List.of(11, 12), true, true, runner),
        new ApplyUpdate("exp-1", 3, 17, "exp-1/reduced/3/17", true, runner),
        new PublishState("exp-1", StatePart.WHOLE_REPLICA, "exp-1/state/whole_replica/4", runner),
        new LoadState("exp-1", StatePart.RUNNING_STATISTICS, "exp-1/runner/running_statistics/5", runner),
        new Predict("exp-1", EvalSplit.TEST, List.of(0, 1, 2, 3), runner),
        new Release("exp-1"),
        new Prepared("exp-1", worker, 11_176_512L, 9_600L),
        new MicroBatchDone("exp-1", worker, 3, 17, 1, 2, List.of(5, 9), 1.25, "exp-1/grad/3/17/1/2",
            new PseudoLabelCounts(4, 6, 9), new StepTimings(0.5, 1.5, 0.25)),
        new Applied("exp-1", worker, 17, 0.125, 0.0625),
        new StatePublished("exp-1", worker, StatePart.TRAINABLE_PARAMETERS, "exp-1/state/trainable_parameters/6"),
        new StateLoaded("exp-1", worker, StatePart.WHOLE_REPLICA),
        new Predictions("exp-1", worker, EvalSplit.VALIDATION, List.of(7, 8), new float[] {0.1f, 0.9f, 0.3f, 0.7f},
            2, List.of(6)),
        new WorkerFailed("exp-1", worker, "labeler unreachable"),
        new GetEndpoint(discovery),
        new LabelerEndpoint(labeler, "10.1.2.3", 50061));
  }

  @Test
  void everyClusterMessageRoundTripsThroughTheProtobufSerializer() throws Exception {
    for (ClusterMessage message : samples()) {
      Serializer serializer = serialization.findSerializerFor(message);
      assertInstanceOf(ClusterMessageSerializer.class, serializer, message.getClass().getSimpleName());
      byte[] bytes = serializer.toBinary(message);
      String manifest = Serializers.manifestFor(serializer, message);
      Object back = serialization.deserialize(bytes, serializer.identifier(), manifest).get();
      assertEquals(message, back, message.getClass().getSimpleName());
    }
  }

  @Test
  void samplesCoverEveryPermittedMessageType() {
    Set<Class<?>> covered = samples().stream().map(Object::getClass).collect(Collectors.toSet());
    Set<Class<?>> permitted = Arrays.stream(Command.class.getPermittedSubclasses())
        .filter(c -> c != WorkerProtocol.WorkerInternal.class)
        .collect(Collectors.toSet());
    permitted.addAll(Arrays.asList(Reply.class.getPermittedSubclasses()));
    permitted.addAll(Arrays.asList(LabelerProtocol.Command.class.getPermittedSubclasses()));
    permitted.add(LabelerEndpoint.class);
    assertEquals(permitted, covered);
  }

  @Test
  void aLabelerEndpointWithAnImpossiblePortIsRejectedNamingTheMessage() {
    byte[] bytes = org.aevlp.proto.v1.LabelerEndpointMsg.newBuilder()
        .setLabeler(Serialization.serializedActorPath(Adapter.toClassic(labeler)))
        .setHost("10.1.2.3")
        .setPort(0)
        .build()
        .toByteArray();
    Exception e = assertThrows(Exception.class,
        () -> serialization.deserialize(bytes, ClusterMessageSerializer.IDENTIFIER, "LabelerEndpoint").get());
    assertTrue(e.getMessage().contains("LabelerEndpoint") && e.getMessage().contains("port"), e.getMessage());
  }

  @Test
  void labelerEndpointAddressesBracketIpv6Hosts() {
    assertEquals("10.1.2.3:50061", new LabelerEndpoint(labeler, "10.1.2.3", 50061).address());
    assertEquals("[fd00::7]:50061", new LabelerEndpoint(labeler, "fd00::7", 50061).address());
  }

  @Test
  void javaSerializationIsOff() {
    assertEquals("off", testKit.system().settings().config().getString("pekko.actor.allow-java-serialization"));
    assertThrows(Exception.class, () -> serialization.serialize(new java.util.ArrayList<>(List.of(1))).get());
  }

  @Test
  void workerInternalMessagesRefuseToLeaveTheJvm() {
    WorkerProtocol.WorkerInternal internal = new WorkerProtocol.WorkerInternal() {};
    Serializer serializer = serialization.findSerializerFor(internal);
    assertThrows(IllegalArgumentException.class, () -> serializer.toBinary(internal));
  }
}
