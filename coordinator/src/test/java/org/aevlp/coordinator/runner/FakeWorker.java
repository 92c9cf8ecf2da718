package org.aevlp.coordinator.runner;

import java.util.List;
import java.util.Queue;
import java.util.function.Predicate;
import org.aevlp.common.cluster.WorkerProtocol;
import org.aevlp.common.cluster.WorkerProtocol.Applied;
import org.aevlp.common.cluster.WorkerProtocol.ApplyUpdate;
import org.aevlp.common.cluster.WorkerProtocol.Command;
import org.aevlp.common.cluster.WorkerProtocol.LoadState;
import org.aevlp.common.cluster.WorkerProtocol.MicroBatchDone;
import org.aevlp.common.cluster.WorkerProtocol.Predict;
import org.aevlp.common.cluster.WorkerProtocol.Predictions;
import org.aevlp.common.cluster.WorkerProtocol.Prepare;
import org.aevlp.common.cluster.WorkerProtocol.Prepared;
import org.aevlp.common.cluster.WorkerProtocol.PublishState;
import org.aevlp.common.cluster.WorkerProtocol.RunMicroBatch;
import org.aevlp.common.cluster.WorkerProtocol.StateLoaded;
import org.aevlp.common.cluster.WorkerProtocol.StatePublished;
import org.aevlp.common.cluster.WorkerProtocol.StepTimings;
import org.aevlp.common.eval.PseudoLabelCounts;
import org.aevlp.common.tensor.TensorStore;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * A worker without a network: answers every command at once, publishing small buffers into the
 * runner's tensor store, and records the commands it got. It stops silently (like a killed JVM)
 * on the first micro-batch {@code dies} accepts.
 */
public final class FakeWorker {

  static final int PARAMETERS = 4;

  private FakeWorker() {}

  public static Behavior<Command> create(TensorStore store, int classes, Queue<String> journal,
      Predicate<RunMicroBatch> dies) {
    return create(store, classes, journal, dies, 0);
  }

  /** As above, taking {@code computeMillis} per micro-batch (blocking, like a real worker's thread). */
  public static Behavior<Command> create(TensorStore store, int classes, Queue<String> journal,
      Predicate<RunMicroBatch> dies, long computeMillis) {
    return create(store, classes, journal, computeMillis, new Faults(dies, m -> false, p -> false));
  }

  /**
   * What goes wrong with a fake worker.
   *
   * @param dies stop silently (like a killed JVM) on the first micro-batch this accepts
   * @param hangs never answer the micro-batches this accepts, while staying alive (a hung thread)
   * @param diesOnPublish stop silently on the first state publication this accepts
   */
  public record Faults(Predicate<RunMicroBatch> dies, Predicate<RunMicroBatch> hangs,
      Predicate<PublishState> diesOnPublish) {}

  /** A fake worker with the given faults. */
  public static Behavior<Command> create(TensorStore store, int classes, Queue<String> journal, long computeMillis,
      Faults faults) {
    return Behaviors.setup(context -> {
      context.getSystem().receptionist().tell(Receptionist.register(WorkerProtocol.WORKER_SERVICE, context.getSelf()));
      String name = context.getSelf().path().name();
      return Behaviors.receive(Command.class)
          .onMessage(Prepare.class, m -> {
            journal.add(name + " prepare");
            m.replyTo().tell(new Prepared(m.experimentId(), context.getSelf(), PARAMETERS, 0));
            return Behaviors.same();
          })
          .onMessage(RunMicroBatch.class, m -> {
            if (faults.hangs().test(m)) {
              journal.add(name + " hangs at " + m.epoch() + "/" + m.step() + "/" + m.slot());
              return Behaviors.same();
            }
            if (faults.dies().test(m)) {
              journal.add(name + " dies at " + m.epoch() + "/" + m.step() + "/" + m.slot());
              return Behaviors.stopped();
            }
            Thread.sleep(computeMillis);
            journal.add(name + " run " + m.epoch() + "/" + m.step() + "/" + m.slot() + " attempt " + m.attempt());
            String key = m.experimentId() + "/grad/" + m.epoch() + "/" + m.step() + "/" + m.slot() + "/" + m.attempt();
            float[] gradient = new float[PARAMETERS];
            java.util.Arrays.fill(gradient, m.indices().get(0));
            store.put(key, gradient);
            m.replyTo().tell(new MicroBatchDone(m.experimentId(), context.getSelf(), m.epoch(), m.step(), m.slot(),
                m.attempt(), m.indices(), 0.5 * m.indices().size(), key, PseudoLabelCounts.ZERO, StepTimings.ZERO));
            return Behaviors.same();
          })
          .onMessage(ApplyUpdate.class, m -> {
            journal.add(name + " apply " + m.epoch() + "/" + m.step());
            m.replyTo().tell(new Applied(m.experimentId(), context.getSelf(), m.step(), 0, 0));
            return Behaviors.same();
          })
          .onMessage(PublishState.class, m -> {
            if (faults.diesOnPublish().test(m)) {
              journal.add(name + " dies at publish " + m.part());
              return Behaviors.stopped();
            }
            journal.add(name + " publish " + m.part());
            store.put(m.tensorKey(), new float[] {1, 2, 3, 4});
            m.replyTo().tell(new StatePublished(m.experimentId(), context.getSelf(), m.part(), m.tensorKey()));
            return Behaviors.same();
          })
          .onMessage(LoadState.class, m -> {
            journal.add(name + " load " + m.part());
            m.replyTo().tell(new StateLoaded(m.experimentId(), context.getSelf(), m.part()));
            return Behaviors.same();
          })
          .onMessage(Predict.class, m -> {
            float[] scores = new float[m.indices().size() * classes];
            for (int i = 0; i < scores.length; i++) {
              scores[i] = (float) ((m.indices().get(i / classes) * 31 + i % classes) % 7) / 7f;
            }
            m.replyTo().tell(new Predictions(m.experimentId(), context.getSelf(), m.split(), m.indices(), scores,
                classes, List.of()));
            return Behaviors.same();
          })
          .onMessage(Command.class, m -> Behaviors.same())
          .build();
    });
  }
}
