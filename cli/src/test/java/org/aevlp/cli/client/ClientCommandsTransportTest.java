package org.aevlp.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.aevlp.cli.AevlpCommand;
import org.aevlp.proto.v1.CancelRequest;
import org.aevlp.proto.v1.EpochResult;
import org.aevlp.proto.v1.Experiment;
import org.aevlp.proto.v1.ExperimentEvent;
import org.aevlp.proto.v1.ExperimentSpec;
import org.aevlp.proto.v1.ExperimentState;
import org.aevlp.proto.v1.FinalResult;
import org.aevlp.proto.v1.GetExperimentRequest;
import org.aevlp.proto.v1.ListExperimentsRequest;
import org.aevlp.proto.v1.ListExperimentsResponse;
import org.aevlp.proto.v1.StateChange;
import org.aevlp.proto.v1.StepProgress;
import org.aevlp.proto.v1.SubmitRequest;
import org.aevlp.proto.v1.SubmitResponse;
import org.aevlp.proto.v1.WatchRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Transport tests: each client command against a real gRPC server on a loopback port, served by a
 * hand-written stand-in of ExperimentService that records the requests and returns fixed replies.
 * They pin what goes over the wire and how replies and failures are printed; the behaviour of the
 * real service is the coordinator's tests' business.
 */
class ClientCommandsTransportTest {

  @TempDir Path dir;

  private final RecordingExperimentService service = new RecordingExperimentService();
  private Server server;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void startServer() throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(ServerInterceptors.intercept(service, service.authorizationRecorder()))
            .build()
            .start();
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private int aevlp(String... args) {
    CommandLine commandLine = AevlpCommand.newCommandLine();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--coordinator";
    all[args.length + 1] = "127.0.0.1:" + server.getPort();
    return commandLine.execute(all);
  }

  private Path config(String json) throws IOException {
    Path file = dir.resolve("spec.json");
    Files.writeString(file, json);
    return file;
  }

  @Test
  void submitSendsTheFileWithOverridesAndTheRequestId() throws IOException {
    service.submitReply = SubmitResponse.newBuilder().setExperimentId("e-7").setQueuePosition(2).addWarnings("remark").build();
    Path spec = config("{\"dataset\": \"synthetic\", \"num_epochs\": 8, \"gpu_num\": 0}");
    int code = aevlp("submit", spec.toString(), "--set", "num_epochs=2", "--set", "lr=1e-4", "--name", "quick", "--request-id", "r-1");
    assertEquals(0, code, err.toString());
    SubmitRequest sent = service.requestsOf(SubmitRequest.class).get(0);
    assertEquals("r-1", sent.getRequestId());
    ExperimentSpec expected =
        ExperimentSpec.newBuilder().setDataset("synthetic").setNumEpochs(2).setLr(1e-4).setName("quick").build();
    assertEquals(expected, sent.getSpec(), "the spec goes as written, without client-side defaults");
    String printed = out.toString();
    assertTrue(printed.startsWith("Submitted experiment e-7; queue position 2 (request id r-1).\n"), printed);
    assertTrue(printed.contains("warning: gpu_num: ignored"), printed);
    assertTrue(printed.contains("warning: remark\n"), printed);
  }

  @Test
  void submitWithoutRequestIdSendsAFreshUuidEachTime() throws IOException {
    Path spec = config("{\"dataset\": \"synthetic\"}");
    assertEquals(0, aevlp("submit", spec.toString()));
    assertEquals(0, aevlp("submit", spec.toString()));
    List<SubmitRequest> sent = service.requestsOf(SubmitRequest.class);
    String first = sent.get(0).getRequestId();
    assertEquals(first, UUID.fromString(first).toString());
    assertNotEquals(first, sent.get(1).getRequestId());
  }

  @Test
  void invalidSpecIsRefusedBeforeAnythingIsSent() throws IOException {
    Path spec = config("{\"dataset\": \"synthetic\", \"bsize\": 0}");
    assertEquals(2, aevlp("submit", spec.toString()));
    assertTrue(service.requests.isEmpty());
    assertTrue(err.toString().contains("bsize: must be >= 1, got 0"), err.toString());
    assertTrue(err.toString().contains(spec.toString()), "the message names the file: " + err);
  }

  @Test
  void unknownSetKeyExitsTwoWithTheSuggestion() throws IOException {
    Path spec = config("{\"dataset\": \"synthetic\"}");
    assertEquals(2, aevlp("submit", spec.toString(), "--set", "bsise=4"));
    assertTrue(err.toString().contains("bsise: unknown key (did you mean \"bsize\"?)"), err.toString());
    assertTrue(service.requests.isEmpty());
  }

  @Test
  void serverRejectionOfTheSpecIsPrintedAsItsMessageWithExitTwo() throws IOException {
    service.failure = Status.INVALID_ARGUMENT.withDescription("data_dir: no such directory /nope");
    assertEquals(2, aevlp("submit", config("{\"dataset\": \"synthetic\"}").toString()));
    assertEquals("aevlp submit: data_dir: no such directory /nope\n", err.toString().replace(System.lineSeparator(), "\n"));
  }

  @Test
  void submitJsonPrintsTheResponseAsOneJsonLine() throws Exception {
    service.submitReply = SubmitResponse.newBuilder().setExperimentId("e-8").setDuplicate(true).build();
    assertEquals(0, aevlp("submit", config("{\"dataset\": \"synthetic\"}").toString(), "--output", "json"));
    SubmitResponse.Builder parsed = SubmitResponse.newBuilder();
    JsonFormat.parser().merge(out.toString().strip(), parsed);
    assertEquals(service.submitReply, parsed.build());
  }

  @Test
  void submitWatchFollowsToTheEndAndExitsWithTheFinalState() throws IOException {
    service.submitReply = SubmitResponse.newBuilder().setExperimentId("e-9").build();
    service.watchReply =
        List.of(
            event(1, StateChange.newBuilder().setState(ExperimentState.RUNNING).build()),
            ExperimentEvent.newBuilder().setSequence(2).setProgress(
                StepProgress.newBuilder().setEpoch(1).setNumEpochs(1).setStep(1).setStepsInEpoch(2)).build(),
            event(3, StateChange.newBuilder().setState(ExperimentState.FAILED).setMessage("worker lost").build()));
    assertEquals(1, aevlp("submit", config("{\"dataset\": \"synthetic\"}").toString(), "--watch"));
    assertEquals("e-9", service.requestsOf(WatchRequest.class).get(0).getExperimentId());
    assertTrue(out.toString().contains("state FAILED: worker lost"), out.toString());
    assertTrue(out.toString().contains("epoch 1/1  step 1/2"), out.toString());
  }

  @Test
  void watchExitsZeroOnCompletionAndPrintsTheResultTable() {
    service.watchReply =
        List.of(
            ExperimentEvent.newBuilder().setSequence(1).setEpoch(EpochResult.newBuilder().setEpoch(1).setValMap(60).setBest(true)).build(),
            ExperimentEvent.newBuilder().setSequence(2).setResult(FinalResult.newBuilder().setBestEpoch(1).setTestMap(58.5)).build());
    assertEquals(0, aevlp("watch", "e-1"));
    assertTrue(out.toString().contains("test mAP      58.50"), out.toString());
  }

  @Test
  void watchExitsFourWhenCancelled() {
    service.watchReply = List.of(event(1, StateChange.newBuilder().setState(ExperimentState.CANCELLED).build()));
    assertEquals(4, aevlp("watch", "e-1"));
  }

  @Test
  void watchStreamEndingEarlyLooksTheExperimentUpAndReportsIt() {
    service.watchReply = List.of(event(1, StateChange.newBuilder().setState(ExperimentState.RUNNING).build()));
    service.getReply = Experiment.newBuilder().setExperimentId("e-1").setState(ExperimentState.RUNNING).build();
    assertEquals(5, aevlp("watch", "e-1"));
    assertEquals("e-1", service.requestsOf(GetExperimentRequest.class).get(0).getExperimentId());
    assertTrue(err.toString().contains("the watch stream ended before experiment e-1 did (now RUNNING)"), err.toString());
  }

  @Test
  void watchJsonPrintsOneEventPerLine() throws Exception {
    service.watchReply =
        List.of(
            event(1, StateChange.newBuilder().setState(ExperimentState.RUNNING).build()),
            event(2, StateChange.newBuilder().setState(ExperimentState.COMPLETED).build()));
    assertEquals(0, aevlp("watch", "e-1", "-o", "json"));
    List<String> lines = out.toString().lines().toList();
    assertEquals(2, lines.size());
    ExperimentEvent.Builder second = ExperimentEvent.newBuilder();
    JsonFormat.parser().merge(lines.get(1), second);
    assertEquals(service.watchReply.get(1), second.build());
  }

  @Test
  void listSendsStatesAndLimitAndPrintsARowPerExperiment() {
    service.listReply =
        List.of(
            Experiment.newBuilder().setExperimentId("e-2").setState(ExperimentState.RUNNING)
                .setSpec(ExperimentSpec.newBuilder().setName("b").setNumEpochs(8))
                .addEpochs(EpochResult.newBuilder().setEpoch(1).setValMap(40))
                .addEpochs(EpochResult.newBuilder().setEpoch(2).setValMap(45.5)).build(),
            Experiment.newBuilder().setExperimentId("e-1").setState(ExperimentState.COMPLETED).setRunDir("/runs/e-1")
                .setResult(FinalResult.newBuilder().setBestValMap(50).setTestMap(49)).build());
    assertEquals(0, aevlp("list", "--state", "running", "--state", "COMPLETED", "--limit", "5"));
    ListExperimentsRequest sent = service.requestsOf(ListExperimentsRequest.class).get(0);
    assertEquals(List.of(ExperimentState.RUNNING, ExperimentState.COMPLETED), sent.getStatesList());
    assertEquals(5, sent.getLimit());
    List<String> lines = out.toString().lines().toList();
    assertEquals(4, lines.size(), out.toString());
    assertTrue(lines.get(2).matches("e-2\\s+b\\s+RUNNING\\s+2/8\\s+45\\.50\\s+-\\s+-\\s+-"), lines.get(2));
    assertTrue(lines.get(3).matches("e-1\\s+-\\s+COMPLETED\\s+0/\\?\\s+50\\.00\\s+49\\.00\\s+-\\s+/runs/e-1"), lines.get(3));
  }

  @Test
  void listRefusesAnUnknownState() {
    assertEquals(2, aevlp("list", "--state", "done"));
    assertTrue(err.toString().contains("must be one of queued, running, paused, completed, failed, cancelled"), err.toString());
    assertTrue(service.requests.isEmpty());
  }

  @Test
  void listJsonParsesBack() throws Exception {
    service.listReply = List.of(Experiment.newBuilder().setExperimentId("e-1").setState(ExperimentState.QUEUED).build());
    assertEquals(0, aevlp("list", "--output", "json"));
    ListExperimentsResponse.Builder parsed = ListExperimentsResponse.newBuilder();
    JsonFormat.parser().merge(out.toString().strip(), parsed);
    assertEquals(service.listReply, parsed.getExperimentsList());
  }

  @Test
  void getShowsTheExperimentWithItsEpochsAndResult() {
    service.getReply =
        Experiment.newBuilder().setExperimentId("e-3").setState(ExperimentState.COMPLETED)
            .setSpec(ExperimentSpec.newBuilder().setName("n").setDataset("synthetic").setLoss("gpr_loss").setNumEpochs(2))
            .addEpochs(EpochResult.newBuilder().setEpoch(1).setTrainLoss(0.25).setValMap(55).setBest(true))
            .setResult(FinalResult.newBuilder().setBestEpoch(1).setTestMap(54.25))
            .build();
    assertEquals(0, aevlp("get", "e-3"));
    assertEquals("e-3", service.requestsOf(GetExperimentRequest.class).get(0).getExperimentId());
    String text = out.toString();
    assertTrue(text.startsWith("experiment e-3 (n)\n"), text);
    assertTrue(text.contains("spec       dataset=synthetic loss=gpr_loss num_epochs=2\n"), text);
    assertTrue(text.lines().anyMatch(l -> l.matches("1\\s+0\\.2500\\s+55\\.00\\s+-\\s+-\\s+-\\s+0\\s+0\\s+0s\\s+\\*")), text);
    assertTrue(text.contains("test mAP      54.25"), text);
  }

  @Test
  void getOfAnUnknownIdSaysSoWithExitTwo() {
    service.failure = Status.NOT_FOUND.withDescription("e-404");
    assertEquals(2, aevlp("get", "e-404"));
    assertEquals("aevlp get: no experiment e-404", err.toString().strip());
    assertEquals("", out.toString());
  }

  @Test
  void cancelPrintsTheResultingState() {
    service.cancelReply = ExperimentState.COMPLETED;
    assertEquals(0, aevlp("cancel", "e-5"));
    assertEquals("e-5", service.requestsOf(CancelRequest.class).get(0).getExperimentId());
    assertEquals("Experiment e-5 had already ended: COMPLETED", out.toString().strip());
  }

  @Test
  void tokenFromTheTokenFileTravelsAsABearerHeader() throws IOException {
    Path token = dir.resolve("token");
    Files.writeString(token, "s3cret\n");
    assertEquals(0, aevlp("cancel", "e-5", "--token-file", token.toString()));
    assertEquals(List.of("Bearer s3cret"), service.authorizations);
  }

  @Test
  void unreadableTokenFileIsABadArgumentNamingTheFile() {
    Path missing = dir.resolve("no-token");
    assertEquals(2, aevlp("cancel", "e-5", "--token-file", missing.toString()));
    assertTrue(err.toString().contains("token file " + missing + " cannot be read"), err.toString());
    assertTrue(service.requests.isEmpty());
  }

  @Test
  void refusedTokenSaysHowToSetOne() {
    service.failure = Status.UNAUTHENTICATED.withDescription("bad token");
    assertEquals(5, aevlp("list"));
    assertEquals("aevlp list: the coordinator refused the token: set AEVLP_TOKEN or --token-file", err.toString().strip());
  }

  @Test
  void closedPortGivesTheUnreachableMessageAndExitFive() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    CommandLine commandLine = AevlpCommand.newCommandLine();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int code = commandLine.execute("get", "e-1", "--coordinator", "127.0.0.1:" + closedPort);
    assertEquals(5, code);
    assertEquals(
        "aevlp get: cannot reach the coordinator at 127.0.0.1:" + closedPort + " (is `aevlp coordinator` running?)",
        err.toString().strip());
    assertFalse(err.toString().contains("Exception"), "no stack trace: " + err);
  }

  private static ExperimentEvent event(long sequence, StateChange change) {
    return ExperimentEvent.newBuilder().setSequence(sequence).setExperimentId("e-1").setState(change).build();
  }
}
