package org.aevlp.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.aevlp.proto.v1.EpochResult;
import org.aevlp.proto.v1.ExperimentEvent;
import org.aevlp.proto.v1.ExperimentState;
import org.aevlp.proto.v1.FinalResult;
import org.aevlp.proto.v1.StateChange;
import org.aevlp.proto.v1.StepProgress;
import org.junit.jupiter.api.Test;

class ProgressRendererTest {

  private static StepProgress step(int epoch, int step) {
    return StepProgress.newBuilder()
        .setEpoch(epoch).setNumEpochs(8).setStep(step).setStepsInEpoch(40)
        .setLoss(0.41234).setImagesPerSecond(57.34).setEtaSeconds(192).setWorkers(2)
        .build();
  }

  private static ExperimentEvent at(long timeMs, StepProgress progress) {
    return ExperimentEvent.newBuilder().setTimeMs(timeMs).setExperimentId("e-1").setProgress(progress).build();
  }

  private static EpochResult epoch2() {
    return EpochResult.newBuilder()
        .setEpoch(2).setTrainLoss(0.5).setValMap(61.254).setPlPrecision(80.1).setPlRecall(40.2).setPlF1(53.5)
        .setSamplesTrained(1600).setSeconds(34.4).setBest(true)
        .build();
  }

  @Test
  void progressLineShowsEpochStepBarLossThroughputEtaAndWorkers() {
    // 10 of 40 steps: a quarter of the 24-character bar.
    assertEquals(
        "epoch 2/8  step 10/40  [######..................]  25%  loss 0.4123  57.3 img/s  ETA 3m12s  2 workers",
        ProgressRenderer.progressLine(step(2, 10)));
  }

  @Test
  void progressLineOfTheLastStepHasAFullBar() {
    String line = ProgressRenderer.progressLine(step(8, 40).toBuilder().setWorkers(1).build());
    assertTrue(line.contains("[" + "#".repeat(24) + "] 100%"), line);
    assertTrue(line.endsWith("1 worker"), line);
  }

  @Test
  void epochLineShowsTheEpochsFiguresAndTheBestMark() {
    assertEquals(
        "epoch 2/8 done  train loss 0.5000  val mAP 61.25  PL P/R/F1 80.10/40.20/53.50  34s  1600 samples  * best",
        ProgressRenderer.epochLine(epoch2(), 8));
  }

  @Test
  void epochLineWithoutPseudoLabelsSkipsAndReruns() {
    EpochResult epoch =
        EpochResult.newBuilder().setEpoch(1).setTrainLoss(0.7).setValMap(40).setSamplesTrained(100)
            .setSamplesSkipped(3).setMicrobatchesRerun(2).setSeconds(5).build();
    assertEquals(
        "epoch 1 done  train loss 0.7000  val mAP 40.00  PL P/R/F1 -  5s  100 samples (3 skipped)  2 micro-batches re-run",
        ProgressRenderer.epochLine(epoch, 0));
  }

  @Test
  void terminalOutputRedrawsOneLineAndClearsItBeforeTheEpochLine() {
    StringWriter text = new StringWriter();
    ProgressRenderer renderer = new ProgressRenderer(new PrintWriter(text), true, Duration.ofSeconds(10));
    renderer.onEvent(at(0, step(2, 1)));
    renderer.onEvent(at(100, step(2, 2)));
    assertFalse(text.toString().contains("\n"), "progress must stay on one line");
    assertEquals(2, text.toString().chars().filter(c -> c == '\r').count());
    renderer.onEvent(ExperimentEvent.newBuilder().setTimeMs(200).setEpoch(epoch2()).build());
    String out = text.toString();
    String afterLastCarriageReturn = out.substring(out.lastIndexOf('\r') + 1);
    assertEquals(ProgressRenderer.epochLine(epoch2(), 8) + System.lineSeparator(), afterLastCarriageReturn);
  }

  @Test
  void plainOutputPrintsTheFirstStepOfEachEpochThenOncePerInterval() {
    StringWriter text = new StringWriter();
    ProgressRenderer renderer = new ProgressRenderer(new PrintWriter(text), false, Duration.ofSeconds(10));
    renderer.onEvent(at(0, step(1, 1)));
    renderer.onEvent(at(5_000, step(1, 2)));
    renderer.onEvent(at(10_000, step(1, 3)));
    renderer.onEvent(at(12_000, step(2, 1)));
    renderer.onEvent(at(13_000, step(2, 2)));
    List<String> lines = text.toString().lines().toList();
    assertEquals(3, lines.size(), text.toString());
    assertTrue(lines.get(0).contains("epoch 1/8  step 1/40"), lines.get(0));
    assertTrue(lines.get(1).contains("epoch 1/8  step 3/40"), lines.get(1));
    assertTrue(lines.get(2).contains("epoch 2/8  step 1/40"), lines.get(2));
    assertFalse(text.toString().contains("\r"));
  }

  @Test
  void stateChangesAndTheFinalResultAreShown() {
    StringWriter text = new StringWriter();
    ProgressRenderer renderer = new ProgressRenderer(new PrintWriter(text), false, Duration.ofSeconds(10));
    renderer.onEvent(ExperimentEvent.newBuilder()
        .setState(StateChange.newBuilder().setState(ExperimentState.PAUSED).setMessage("no live worker")).build());
    renderer.onEvent(ExperimentEvent.newBuilder()
        .setResult(FinalResult.newBuilder().setBestEpoch(3).setTestMap(59.8).setStopReason("completed")).build());
    List<String> lines = text.toString().lines().toList();
    assertEquals("state PAUSED: no live worker", lines.get(0));
    assertEquals("result:", lines.get(1));
    assertTrue(lines.contains("test mAP      59.80"), text.toString());
    assertTrue(lines.contains("stop reason   completed"), text.toString());
  }

  @Test
  void jsonLinesParseBackToTheSameEvents() throws Exception {
    List<ExperimentEvent> events =
        List.of(
            ExperimentEvent.newBuilder().setSequence(1).setTimeMs(10).setExperimentId("e-1")
                .setState(StateChange.newBuilder().setState(ExperimentState.RUNNING)).build(),
            at(20, step(1, 1)).toBuilder().setSequence(2).build(),
            ExperimentEvent.newBuilder().setSequence(3).setEpoch(epoch2()).build(),
            ExperimentEvent.newBuilder().setSequence(4)
                .setResult(FinalResult.newBuilder().setTestMap(59.8).addTestApPerClass(0.5)).build());
    StringWriter text = new StringWriter();
    JsonLinesRenderer renderer = new JsonLinesRenderer(new PrintWriter(text));
    events.forEach(renderer::onEvent);
    List<String> lines = text.toString().lines().toList();
    assertEquals(events.size(), lines.size());
    for (int i = 0; i < events.size(); i++) {
      assertFalse(lines.get(i).contains(" "), "insignificant whitespace in " + lines.get(i));
      ExperimentEvent.Builder parsed = ExperimentEvent.newBuilder();
      JsonFormat.parser().merge(lines.get(i), parsed);
      assertEquals(events.get(i), parsed.build());
    }
    assertTrue(lines.get(1).contains("\"images_per_second\""), "proto field names expected: " + lines.get(1));
  }
}
