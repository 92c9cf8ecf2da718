package org.aevlp.cli.client;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import org.aevlp.proto.v1.EpochResult;
import org.aevlp.proto.v1.ExperimentEvent;
import org.aevlp.proto.v1.FinalResult;
import org.aevlp.proto.v1.StateChange;
import org.aevlp.proto.v1.StepProgress;

/**
 * {@code --output table} for a Watch stream: a progress line per step (redrawn in place with a
 * carriage return on a terminal; otherwise printed at the first step of each epoch and then at
 * most once per interval of event time, so logs stay short), a line per finished epoch, a line
 * per state change, and the final result as a table.
 */
public final class ProgressRenderer implements WatchRenderer {

  /** How often a non-terminal output gets a progress line, in event time. */
  public static final Duration DEFAULT_PLAIN_INTERVAL = Duration.ofSeconds(10);

  private static final int BAR_WIDTH = 24;

  private final PrintWriter out;
  private final boolean redraw;
  private final long plainIntervalMs;
  private int numEpochs;
  private int liveLength;
  private int lastPlainEpoch;
  private long lastPlainTimeMs;

  /**
   * @param redraw true when the output is a terminal: progress redraws one line in place
   * @param plainInterval without redraw: least event time between two progress lines of an epoch
   */
  public ProgressRenderer(PrintWriter out, boolean redraw, Duration plainInterval) {
    this.out = out;
    this.redraw = redraw;
    this.plainIntervalMs = plainInterval.toMillis();
  }

  @Override
  public void onEvent(ExperimentEvent event) {
    switch (event.getEventCase()) {
      case STATE -> printLine(stateLine(event.getState()));
      case PROGRESS -> showProgress(event.getProgress(), event.getTimeMs());
      case EPOCH -> printLine(epochLine(event.getEpoch(), numEpochs));
      case RESULT -> printResult(event.getResult());
      default -> {
        // An event kind newer than this client: nothing to show.
      }
    }
    out.flush();
  }

  @Override
  public void end() {
    clearLiveLine();
    out.flush();
  }

  private void showProgress(StepProgress progress, long timeMs) {
    numEpochs = progress.getNumEpochs();
    String line = progressLine(progress);
    if (redraw) {
      out.print('\r' + line + " ".repeat(Math.max(0, liveLength - line.length())));
      liveLength = line.length();
      return;
    }
    boolean newEpoch = progress.getEpoch() != lastPlainEpoch;
    if (newEpoch || timeMs - lastPlainTimeMs >= plainIntervalMs) {
      out.println(line);
      lastPlainEpoch = progress.getEpoch();
      lastPlainTimeMs = timeMs;
    }
  }

  private void printResult(FinalResult result) {
    printLine("result:");
    out.print(ResultTable.finalResult(result).render());
  }

  private void printLine(String line) {
    clearLiveLine();
    out.println(line);
  }

  /** Rubs out the redrawn progress line so the next line starts at the left margin on a clean row. */
  private void clearLiveLine() {
    if (liveLength > 0) {
      out.print('\r' + " ".repeat(liveLength) + '\r');
      liveLength = 0;
    }
  }

  /**
   * {@code epoch 2/8  step 13/40  [#######.................]  33%  loss 0.4123  57.3 img/s  ETA 3m12s  2 workers};
   * the bar and percentage are the epoch's steps done.
   */
  static String progressLine(StepProgress p) {
    double fraction = p.getStepsInEpoch() > 0 ? Math.min(1.0, (double) p.getStep() / p.getStepsInEpoch()) : 0;
    int filled = (int) Math.round(fraction * BAR_WIDTH);
    String bar = "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "]";
    return String.format(
        Locale.ROOT,
        "epoch %d/%d  step %d/%d  %s %3d%%  loss %s  %.1f img/s  ETA %s  %d worker%s",
        p.getEpoch(), p.getNumEpochs(), p.getStep(), p.getStepsInEpoch(), bar, Math.round(fraction * 100),
        Figures.loss(p.getLoss()), p.getImagesPerSecond(), Figures.duration(p.getEtaSeconds()),
        p.getWorkers(), p.getWorkers() == 1 ? "" : "s");
  }

  /**
   * {@code epoch 2/8 done  train loss 0.4123  val mAP 61.25  PL P/R/F1 80.10/40.20/53.50  34s  1600 samples  * best};
   * {@code numEpochs} 0 (not known yet) leaves out the "/8".
   */
  static String epochLine(EpochResult e, int numEpochs) {
    StringBuilder line = new StringBuilder("epoch ").append(e.getEpoch());
    if (numEpochs > 0) {
      line.append('/').append(numEpochs);
    }
    line.append(" done  train loss ").append(Figures.loss(e.getTrainLoss()))
        .append("  val mAP ").append(Figures.percent(e.getValMap()))
        .append("  PL P/R/F1 ").append(Figures.plTriple(e.getPlPrecision(), e.getPlRecall(), e.getPlF1()))
        .append("  ").append(Figures.duration(e.getSeconds()))
        .append("  ").append(e.getSamplesTrained()).append(" samples");
    if (e.getSamplesSkipped() > 0) {
      line.append(" (").append(e.getSamplesSkipped()).append(" skipped)");
    }
    if (e.getMicrobatchesRerun() > 0) {
      line.append("  ").append(e.getMicrobatchesRerun()).append(" micro-batches re-run");
    }
    if (e.getBest()) {
      line.append("  * best");
    }
    return line.toString();
  }

  /** {@code state RUNNING} or {@code state FAILED: reason}. */
  static String stateLine(StateChange change) {
    String message = change.getMessage();
    return "state " + change.getState().name() + (message.isEmpty() ? "" : ": " + message);
  }
}
