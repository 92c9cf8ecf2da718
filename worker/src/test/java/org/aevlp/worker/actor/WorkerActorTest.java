package org.aevlp.worker.actor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.aevlp.common.cluster.ExperimentDataset;
import org.aevlp.common.cluster.LabelerProtocol;
import org.aevlp.common.cluster.LabelerProtocol.GetEndpoint;
import org.aevlp.common.cluster.LabelerProtocol.LabelerEndpoint;
import org.aevlp.common.cluster.WorkerProtocol.ApplyUpdate;
import org.aevlp.common.cluster.WorkerProtocol.Applied;
import org.aevlp.common.cluster.WorkerProtocol.Command;
import org.aevlp.common.cluster.WorkerProtocol.MicroBatchDone;
import org.aevlp.common.cluster.WorkerProtocol.Prepare;
import org.aevlp.common.cluster.WorkerProtocol.Prepared;
import org.aevlp.common.cluster.WorkerProtocol.Reply;
import org.aevlp.common.cluster.WorkerProtocol.RunMicroBatch;
import org.aevlp.common.cluster.WorkerProtocol.TensorEndpoint;
import org.aevlp.common.cluster.WorkerProtocol.WorkerFailed;
import org.aevlp.common.data.SpmlDataset;
import org.aevlp.common.data.synthetic.SyntheticDatasetGenerator;
import org.aevlp.common.data.synthetic.SyntheticSpec;
import org.aevlp.common.eval.PseudoLabelCounts;
import org.aevlp.common.spec.SpecLoader;
import org.aevlp.common.tensor.TensorStore;
import org.aevlp.proto.v1.LabelerServiceGrpc;
import org.aevlp.proto.v1.PseudoLabelRow;
import org.aevlp.proto.v1.PseudoLabelsRequest;
import org.aevlp.proto.v1.PseudoLabelsResponse;
import org.aevlp.worker.labeling.RetryBackoff;
import org.aevlp.worker.metrics.WorkerMetricsTest;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real worker (DJL replica, data loader, labeler client) driven through its protocol. */
class WorkerActorTest {

  private static final int CLASSES = 10;

  @TempDir static Path data;
  private static ActorTestKit testKit;
  private static String gprSpec;
  private TensorStore store;
  private Server labeler;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  @BeforeAll
  static void generate() throws Exception {
    new SyntheticDatasetGenerator(2).generate(data,
        new SyntheticSpec(3, 30, 10, 0, 64, CLASSES, 1, 3, 0.3, 0.5, 0.2, 0), done -> { });
    testKit = ActorTestKit.create("worker-test");
    gprSpec = """
        {"dataset": "synthetic", "data_dir": "%s", "arch": "resnet18-narrow", "use_pretrained": false,
         "image_size": 32, "bsize": 4, "num_epochs": 2, "loss": "gpr_loss", "use_pl": true, "seed": 5}
        """.formatted(data.toAbsolutePath());
  }

  @AfterAll
  static void stopKit() {
    testKit.shutdownTestKit();
  }

  @AfterEach
  void stop() {
    if (labeler != null) {
      labeler.shutdownNow();
    }
    if (store != null) {
      store.close();
    }
  }

  /** Labels classes (index mod C) and (index + 1 mod C) positive, the last class negative. */
  private static int[] fakeRow(long index) {
    int[] row = new int[CLASSES];
    row[(int) (index % CLASSES)] = 1;
    row[(int) ((index + 1) % CLASSES)] = 1;
    row[CLASSES - 1] = row[CLASSES - 1] == 1 ? 1 : -1;
    return row;
  }

  private static final class FakeLabeler extends LabelerServiceGrpc.LabelerServiceImplBase {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public void pseudoLabels(PseudoLabelsRequest request, StreamObserver<PseudoLabelsResponse> response) {
      calls.incrementAndGet();
      PseudoLabelsResponse.Builder answer = PseudoLabelsResponse.newBuilder();
      for (var sample : request.getSamplesList()) {
        PseudoLabelRow.Builder row = PseudoLabelRow.newBuilder().setIndex(sample.getIndex());
        for (int v : fakeRow(sample.getIndex())) {
          row.addLabels(v);
        }
        answer.addRows(row);
      }
      response.onNext(answer.build());
      response.onCompleted();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private FakeLabeler startLabeler(int port) throws Exception {
    FakeLabeler fake = new FakeLabeler();
    labeler = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port)).addService(fake).build().start();
    return fake;
  }

  private ActorRef<Command> spawnWorker(List<String> labelers) {
    return spawnWorker(labelers, Duration.ofMillis(500));
  }

  private ActorRef<Command> spawnWorker(List<String> labelers, Duration labelerDiscoveryWait) {
    store = TensorStore.open();
    WorkerSettings settings = WorkerSettings.of(Optional.empty(), labelers)
        .withLabelerBackoff(new RetryBackoff(Duration.ofMillis(20), Duration.ofMillis(100), 2))
        .withLabelerDiscoveryWait(labelerDiscoveryWait)
        .withMeterRegistry(registry);
    return testKit.spawn(WorkerActor.create(settings, new NetworkReplicaFactory("cpu")),
        "worker-" + System.nanoTime(), WorkerActor.dispatcher());
  }

  private Prepare prepare(String spec, ActorRef<Reply> replyTo) {
    return new Prepare("exp", spec, new TensorEndpoint("127.0.0.1", 1, store.id()), replyTo);
  }

  @Test
  void microBatchUsesTheLabelersPseudoLabelsAndCountsTheirQuality() throws Exception {
    int port = freePort();
    FakeLabeler fake = startLabeler(port);
    ActorRef<Command> worker = spawnWorker(List.of("127.0.0.1:" + port));
    TestProbe<Reply> runner = testKit.createTestProbe(Reply.class);
    worker.tell(prepare(gprSpec, runner.getRef()));
    Prepared prepared = runner.expectMessageClass(Prepared.class, Duration.ofSeconds(60));

    List<Integer> indices = List.of(0, 1, 2, 3);
    worker.tell(new RunMicroBatch("exp", 1, 0, 0, indices, 0, List.of(4, 5, 6, 7), false, false, runner.getRef()));
    MicroBatchDone done = runner.expectMessageClass(MicroBatchDone.class, Duration.ofSeconds(60));

    SpmlDataset dataset = ExperimentDataset.open(SpecLoader.builtIn().load(gprSpec, "test").spec(), Optional.empty());
    int[][] pseudo = new int[indices.size()][];
    int[][] observed = new int[indices.size()][CLASSES];
    int[][] clean = new int[indices.size()][CLASSES];
    for (int i = 0; i < indices.size(); i++) {
      pseudo[i] = fakeRow(indices.get(i));
      for (int c = 0; c < CLASSES; c++) {
        observed[i][c] = dataset.train().observed().get(indices.get(i), c) == 1 ? 1 : 0;
        clean[i][c] = dataset.train().labels().get(indices.get(i), c);
      }
    }
    assertEquals(PseudoLabelCounts.count(pseudo, observed, clean), done.pseudoLabels());
    assertEquals(indices, done.usedIndices());
    assertTrue(Double.isFinite(done.lossSum()) && done.lossSum() > 0, "loss sum " + done.lossSum());
    float[] gradient = store.peek(done.gradientKey()).orElseThrow();
    assertEquals(prepared.parameterFloats(), gradient.length);

    worker.tell(new ApplyUpdate("exp", 1, 0, done.gradientKey(), false, runner.getRef()));
    runner.expectMessageClass(Applied.class, Duration.ofSeconds(30));
    worker.tell(new RunMicroBatch("exp", 1, 1, 0, List.of(4, 5, 6, 7), 0, List.of(), false, false, runner.getRef()));
    runner.expectMessageClass(MicroBatchDone.class, Duration.ofSeconds(60));
    assertEquals(2, fake.calls.get(), "the hinted batch was labelled ahead, once");

    String scrape = registry.scrape();
    String tag = "worker=\"" + worker.path().name() + "\"";
    assertEquals(8, WorkerMetricsTest.sample(scrape, "aevlp_worker_samples_trained_total{" + tag + "}"));
    assertEquals(0, WorkerMetricsTest.sample(scrape, "aevlp_worker_samples_skipped_total{" + tag + "}"));
    for (String phase : List.of("data", "compute", "pseudo_labels")) {
      assertEquals(2, WorkerMetricsTest.sample(scrape,
          "aevlp_worker_step_phase_seconds_count{phase=\"" + phase + "\"," + tag + "}"), phase);
    }
    assertTrue(WorkerMetricsTest.sample(scrape, "aevlp_worker_images_per_second{" + tag + "}") > 0, scrape);
    assertEquals(0, WorkerMetricsTest.sample(scrape, "aevlp_worker_labeler_retries_total{" + tag + "}"));
  }

  @Test
  void theStepWaitsForAnUnreachableLabelerInsteadOfTrainingWithoutPseudoLabels() throws Exception {
    int port = freePort();
    ActorRef<Command> worker = spawnWorker(List.of("127.0.0.1:" + port));
    TestProbe<Reply> runner = testKit.createTestProbe(Reply.class);
    worker.tell(prepare(gprSpec, runner.getRef()));
    runner.expectMessageClass(Prepared.class, Duration.ofSeconds(60));
    worker.tell(new RunMicroBatch("exp", 1, 0, 0, List.of(0, 1), 0, List.of(), false, false, runner.getRef()));
    runner.expectNoMessage(Duration.ofSeconds(2));
    startLabeler(port);
    MicroBatchDone done = runner.expectMessageClass(MicroBatchDone.class, Duration.ofSeconds(60));
    assertTrue(done.pseudoLabels().predicted() > 0, done.pseudoLabels().toString());
    double retries = WorkerMetricsTest.sample(registry.scrape(),
        "aevlp_worker_labeler_retries_total{worker=\"" + worker.path().name() + "\"}");
    assertTrue(retries >= 2, "retries while the labeler was down: " + retries);
  }

  @Test
  void aSpecNeedingPseudoLabelsIsRefusedByAWorkerWithoutLabeler() {
    ActorRef<Command> worker = spawnWorker(List.of());
    TestProbe<Reply> runner = testKit.createTestProbe(Reply.class);
    worker.tell(prepare(gprSpec, runner.getRef()));
    WorkerFailed failed = runner.expectMessageClass(WorkerFailed.class, Duration.ofSeconds(60));
    assertTrue(failed.reason().contains("use_pl") && failed.reason().contains("no labeler is known")
        && failed.reason().contains("--labeler"), failed.reason());
  }

  @Test
  void aWorkerWithoutLabelerAddressesWaitsForALabelerToJoinTheClusterAndAsksIt() throws Exception {
    int port = freePort();
    FakeLabeler fake = startLabeler(port);
    ActorRef<Command> worker = spawnWorker(List.of(), Duration.ofSeconds(60));
    TestProbe<Reply> runner = testKit.createTestProbe(Reply.class);
    worker.tell(prepare(gprSpec, runner.getRef()));
    runner.expectNoMessage(Duration.ofSeconds(1));
    ActorRef<LabelerProtocol.Command> endpoint = testKit.spawn(labelerEndpoint("127.0.0.1", port));
    try {
      runner.expectMessageClass(Prepared.class, Duration.ofSeconds(60));
      worker.tell(new RunMicroBatch("exp", 1, 0, 0, List.of(0, 1, 2, 3), 0, List.of(), false, false,
          runner.getRef()));
      MicroBatchDone done = runner.expectMessageClass(MicroBatchDone.class, Duration.ofSeconds(60));
      assertEquals(1, fake.calls.get(), "the discovered labeler was asked");
      assertTrue(done.pseudoLabels().predicted() > 0, done.pseudoLabels().toString());
    } finally {
      testKit.stop(endpoint);
      testKit.stop(worker);
    }
  }

  /** What a labeler node registers (LabelerEndpointActor, which this module cannot see). */
  private static Behavior<LabelerProtocol.Command> labelerEndpoint(String host, int port) {
    return Behaviors.setup(context -> {
      context.getSystem().receptionist().tell(Receptionist.register(LabelerProtocol.LABELER_SERVICE,
          context.getSelf()));
      return Behaviors.receive(LabelerProtocol.Command.class)
          .onMessage(GetEndpoint.class, get -> {
            get.replyTo().tell(new LabelerEndpoint(context.getSelf(), host, port));
            return Behaviors.same();
          })
          .build();
    });
  }
}
