package org.aevlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aevlp.common.data.synthetic.SyntheticDatasetGenerator;
import org.aevlp.common.grpc.GrpcChannels;
import org.aevlp.common.grpc.GrpcSecurity;
import org.aevlp.common.data.synthetic.SyntheticSpec;
import org.aevlp.labeler.bench.UntrainedTinyVlmScorer;
import org.aevlp.proto.v1.LabelerServiceGrpc;
import org.aevlp.proto.v1.PseudoLabelsRequest;
import org.aevlp.proto.v1.SampleRef;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LabelerCommandTest {

  @TempDir static Path temp;
  private static Path data;

  @BeforeAll
  static void generate() throws Exception {
    data = temp.resolve("synthetic");
    new SyntheticDatasetGenerator(2).generate(data, SyntheticSpec.defaults().withCounts(8, 2, 0), done -> {});
  }

  private record Run(int code, String out, String err) {}

  private static Run run(CommandLine commandLine, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int code = commandLine.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static Run aevlp(String... args) {
    return run(AevlpCommand.newCommandLine(), args);
  }

  @Test
  void labelerAndBenchLabelerAreRealSubcommands() {
    Run help = aevlp("--help");
    assertTrue(help.out().contains("labeler"));
    assertTrue(aevlp("bench", "--help").out().contains("labeler"));
    Run labelerHelp = aevlp("labeler", "--help");
    assertEquals(0, labelerHelp.code());
    for (String option : new String[] {"--port", "--dataset", "--data-dir", "--scorer", "--vlm-dir", "--clip-dir",
        "--metrics-port", "--max-batch", "--max-delay-ms", "--queue", "--cache-mb", "--tls-cert", "--tls-key",
        "--token-file"}) {
      assertTrue(labelerHelp.out().contains(option), option);
    }
    assertFalse(labelerHelp.out().contains("not available yet"));
  }

  @Test
  void missingScorerFilesAreNamedWithoutAStackTrace() {
    Run tiny = aevlp("labeler", "--dataset", "synthetic", "--data-dir", data.toString(), "--scorer", "tiny-vlm",
        "--port", "0", "--metrics-port", "0");
    assertEquals(1, tiny.code(), tiny.err());
    assertTrue(tiny.err().contains("no pretrained tiny VLM in " + data.resolve("tiny-vlm")), tiny.err());
    assertTrue(tiny.err().contains("aevlp labeler pretrain"), tiny.err());
    Run clip = aevlp("labeler", "--dataset", "synthetic", "--data-dir", data.toString(), "--scorer",
        "clip-torchscript", "--port", "0", "--metrics-port", "0");
    assertEquals(2, clip.code(), clip.err());
    assertTrue(clip.err().contains("--clip-dir"), clip.err());
    assertFalse(tiny.err().contains("\tat ") || clip.err().contains("\tat "), "no stack traces");
  }

  @Test
  void withoutADatasetTheLabelerSaysWhatIsMissing() {
    Run run = aevlp("labeler", "--port", "0");
    assertEquals(2, run.code());
    assertTrue(run.err().contains("--dataset"), run.err());
    assertEquals(0, aevlp("labeler", "pretrain", "--help").code());
  }

  @Test
  void unknownScorerOrDatasetIsAUsageErrorNamingIt() {
    Run scorer = aevlp("labeler", "--dataset", "synthetic", "--data-dir", data.toString(), "--scorer", "resnet");
    assertEquals(2, scorer.code());
    assertTrue(scorer.err().contains("--scorer: unknown scorer \"resnet\""), scorer.err());
    Run dataset = aevlp("labeler", "--dataset", "imagenet", "--data-dir", data.toString());
    assertEquals(2, dataset.code());
    assertTrue(dataset.err().contains("--dataset") && dataset.err().contains("imagenet"), dataset.err());
    Run queue = aevlp("labeler", "--dataset", "synthetic", "--data-dir", data.toString(), "--queue", "0");
    assertEquals(2, queue.code());
    assertTrue(queue.err().contains("queue capacity"), queue.err());
  }

  @Test
  void withAScorerTheLabelerServesUntilInterrupted() throws Exception {
    CommandLine commandLine = new CommandLine(
        new LabelerCommand(choice -> UntrainedTinyVlmScorer.create(choice.classNames(), 32, 1)));
    StringWriter out = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(new StringWriter()));
    int[] exit = {-1};
    Path tokenFile = Files.writeString(temp.resolve("labeler-token"), "labeler-secret\n");
    Thread labeler = new Thread(() -> exit[0] = commandLine.execute("--dataset", "synthetic", "--data-dir",
        data.toString(), "--port", "0", "--metrics-port", "0", "--token-file", tokenFile.toString()));
    labeler.start();
    int port = awaitPort(out);

    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    ManagedChannel withToken = GrpcChannels.open("127.0.0.1:" + port, GrpcSecurity.none().withToken("labeler-secret"),
        new SimpleMeterRegistry());
    try {
      assertEquals(HealthCheckResponse.ServingStatus.SERVING, HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()).getStatus());
      SampleRef.Builder sample = SampleRef.newBuilder().setIndex(3);
      for (int c = 0; c < 10; c++) {
        sample.addObserved(c == 2 ? 1f : 0f);
      }
      PseudoLabelsRequest request =
          PseudoLabelsRequest.newBuilder().setDatasetId("synthetic").setEpoch(1).addSamples(sample).build();
      StatusRuntimeException anonymous = assertThrows(StatusRuntimeException.class,
          () -> LabelerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS).pseudoLabels(request));
      assertEquals(Status.Code.UNAUTHENTICATED, anonymous.getStatus().getCode());
      assertEquals(1, LabelerServiceGrpc.newBlockingStub(withToken).withDeadlineAfter(60, TimeUnit.SECONDS)
          .pseudoLabels(request).getRowsCount());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      withToken.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    labeler.interrupt();
    labeler.join(TimeUnit.SECONDS.toMillis(30));
    assertFalse(labeler.isAlive(), "the labeler did not stop when interrupted");
    assertEquals(0, exit[0]);
  }

  private static int awaitPort(StringWriter out) throws InterruptedException {
    Pattern serving = Pattern.compile("on port (\\d+);");
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < until) {
      Matcher matcher = serving.matcher(out.toString());
      if (matcher.find()) {
        return Integer.parseInt(matcher.group(1));
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the labeler never said it was serving; output: " + out);
  }
}
