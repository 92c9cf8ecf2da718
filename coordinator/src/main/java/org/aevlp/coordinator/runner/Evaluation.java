package org.aevlp.coordinator.runner;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.aevlp.common.cluster.WorkerProtocol.Command;
import org.aevlp.common.cluster.WorkerProtocol.EvalSplit;
import org.aevlp.common.cluster.WorkerProtocol.Predict;
import org.aevlp.common.cluster.WorkerProtocol.Predictions;
import org.aevlp.common.cluster.WorkerProtocol.Reply;
import org.aevlp.common.data.LabelMatrix;
import org.aevlp.common.data.SpmlSplit;
import org.aevlp.common.eval.MeanAveragePrecision;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Sharded prediction of an evaluation split (DESIGN §3, epoch end): the split is cut into chunks
 * that ready workers pull one at a time (a fast worker takes more), a lost worker's chunk goes back
 * to the queue, and the mAP is computed on the clean labels once every sample is scored. Samples
 * whose image cannot be read are left out of the mAP (and logged by the worker).
 */
final class Evaluation extends Operation {

  private final EvalSplit split;
  private final LabelMatrix labels;
  private final Consumer<MeanAveragePrecision> onDone;
  private final Deque<List<Integer>> queue = new ArrayDeque<>();
  private final Map<ActorRef<Command>, List<Integer>> inFlight = new HashMap<>();
  private final List<ActorRef<Command>> members;
  private final double[][] scores;
  private final boolean[] accounted;
  private int remaining;

  Evaluation(ExperimentRunner runner, EvalSplit split, SpmlSplit data, List<ActorRef<Command>> members,
      Consumer<MeanAveragePrecision> onDone) {
    super(runner);
    this.split = split;
    this.labels = data.labels();
    this.onDone = onDone;
    this.members = new ArrayList<>(members);
    this.scores = new double[data.size()][];
    this.accounted = new boolean[data.size()];
    this.remaining = data.size();
    int chunk = runner.settings().predictChunk();
    for (int from = 0; from < data.size(); from += chunk) {
      List<Integer> indices = new ArrayList<>();
      for (int i = from; i < Math.min(data.size(), from + chunk); i++) {
        indices.add(i);
      }
      queue.add(indices);
    }
  }

  @Override
  void start() {
    if (remaining == 0) {
      throw new IllegalStateException(split + " split is empty: nothing to evaluate");
    }
    members.forEach(this::dispatch);
  }

  private void dispatch(ActorRef<Command> worker) {
    List<Integer> chunk = queue.poll();
    if (chunk != null) {
      inFlight.put(worker, chunk);
      worker.tell(new Predict(runner.experimentId(), split, chunk, runner.replies()));
    }
  }

  @Override
  void onReply(Reply reply) {
    if (!(reply instanceof Predictions p) || p.split() != split) {
      return;
    }
    List<Integer> chunk = inFlight.get(p.worker());
    if (chunk == null || !chunk.containsAll(p.indices()) || !chunk.containsAll(p.skipped())) {
      return;
    }
    inFlight.remove(p.worker());
    for (int row = 0; row < p.indices().size(); row++) {
      int index = p.indices().get(row);
      double[] values = new double[p.numClasses()];
      for (int c = 0; c < values.length; c++) {
        values[c] = p.scores()[row * p.numClasses() + c];
      }
      account(index, values);
    }
    p.skipped().forEach(index -> account(index, null));
    if (remaining == 0) {
      complete();
    } else {
      dispatch(p.worker());
    }
  }

  private void account(int index, double[] values) {
    if (!accounted[index]) {
      accounted[index] = true;
      scores[index] = values;
      remaining--;
    }
  }

  @Override
  Set<ActorRef<Command>> awaited() {
    return Set.copyOf(inFlight.keySet());
  }

  @Override
  void onWorkerLost(ActorRef<Command> worker) {
    members.remove(worker);
    List<Integer> chunk = inFlight.remove(worker);
    if (chunk != null) {
      queue.addFirst(chunk);
    }
    for (ActorRef<Command> member : members) {
      if (!inFlight.containsKey(member)) {
        dispatch(member);
      }
    }
  }

  private void complete() {
    List<double[]> rows = new ArrayList<>();
    List<byte[]> targets = new ArrayList<>();
    for (int i = 0; i < scores.length; i++) {
      if (scores[i] != null) {
        rows.add(scores[i]);
        byte[] target = new byte[labels.cols()];
        for (int c = 0; c < target.length; c++) {
          target[c] = (byte) labels.get(i, c);
        }
        targets.add(target);
      }
    }
    if (rows.isEmpty()) {
      runner.operationFailed("no image of the " + split + " split could be read");
      return;
    }
    MeanAveragePrecision map = MeanAveragePrecision.of(rows.toArray(double[][]::new), targets.toArray(byte[][]::new));
    onDone.accept(map);
    runner.operationFinished();
  }
}
