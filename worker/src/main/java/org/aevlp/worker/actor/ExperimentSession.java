package org.aevlp.worker.actor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.aevlp.common.cluster.ExperimentDataset;
import org.aevlp.common.cluster.WorkerProtocol.EvalSplit;
import org.aevlp.common.cluster.WorkerProtocol.TensorEndpoint;
import org.aevlp.common.data.LabelMatrix;
import org.aevlp.common.data.SpmlDataset;
import org.aevlp.common.eval.PseudoLabelCounts;
import org.aevlp.common.image.ParallelImageDecoder;
import org.aevlp.common.spec.SpecException;
import org.aevlp.common.spec.SpecLoader;
import org.aevlp.common.tensor.TensorTransport;
import org.aevlp.common.tensor.TensorTransports;
import org.aevlp.proto.v1.DampParams;
import org.aevlp.proto.v1.ExperimentSpec;
import org.aevlp.worker.data.LoadedSamples;
import org.aevlp.worker.data.SampleLoader;
import org.aevlp.worker.labeling.LabelerClient;
import org.aevlp.worker.labeling.PseudoLabelSource;
import org.aevlp.worker.labeling.PseudoLabelSource.PseudoLabelQuery;
import org.aevlp.worker.metrics.WorkerMetrics;
import org.aevlp.worker.train.MicroBatch;
import org.aevlp.worker.train.ReplicaTrainer;
import org.aevlp.worker.train.TrainingObjective;

/**
 * Everything a worker holds for one experiment: the spec, the data loaders, the replica, the
 * tensor transport to the coordinator, the labeler client and the prefetcher. Built by {@link
 * #open}, freed by {@link #close}.
 */
final class ExperimentSession implements AutoCloseable {

  private final String experimentId;
  private final ExperimentSpec spec;
  private final TrainingObjective objective;
  private final SpmlDataset dataset;
  private final ParallelImageDecoder decoder;
  private final SampleLoader train;
  private final SampleLoader validation;
  private final SampleLoader test;
  private final Replica replica;
  private final TensorTransport transport;
  private final PseudoLabelSource labeler;
  private final MicroBatchPrefetcher prefetcher;
  private final WorkerMetrics metrics;

  private ExperimentSession(String experimentId, ExperimentSpec spec, TrainingObjective objective,
      SpmlDataset dataset, ParallelImageDecoder decoder, Replica replica, TensorTransport transport,
      PseudoLabelSource labeler, WorkerMetrics metrics) {
    this.experimentId = experimentId;
    this.spec = spec;
    this.objective = objective;
    this.dataset = dataset;
    this.decoder = decoder;
    int size = spec.getImageSize();
    this.train = new SampleLoader(dataset.train(), dataset.imageRoot(), size, decoder);
    this.validation = new SampleLoader(dataset.val(), dataset.imageRoot(), size, decoder);
    this.test = new SampleLoader(dataset.test(), dataset.imageRoot(), size, decoder);
    this.replica = replica;
    this.transport = transport;
    this.labeler = labeler;
    this.metrics = metrics;
    this.prefetcher = new MicroBatchPrefetcher(this::loadTrainingBatch, "prefetch-" + experimentId);
  }

  /**
   * Loads the data and builds the replica of an experiment.
   *
   * @param discoveredLabelers the labelers known from the cluster, used when the settings name none
   * @param labelerFactory makes the labeler client when the loss needs pseudo-labels
   * @param metrics the worker's meters (labeler calls and retries are recorded here)
   */
  static ExperimentSession open(String experimentId, String specJson, TensorEndpoint endpoint,
      WorkerSettings settings, ReplicaFactory replicas, Supplier<List<String>> discoveredLabelers,
      LabelerFactory labelerFactory, WorkerMetrics metrics)
      throws IOException, SpecException {
    ExperimentSpec spec = SpecLoader.builtIn().load(specJson, "experiment " + experimentId).spec();
    TrainingObjective objective = TrainingObjective.fromSpec(spec);
    PseudoLabelSource labeler = null;
    if (objective.needsPseudoLabels()) {
      Supplier<List<String>> targets = settings.labelerAddresses().isEmpty()
          ? discoveredLabelers : settings::labelerAddresses;
      if (targets.get().isEmpty()) {
        throw new IllegalArgumentException("use_pl: the " + spec.getLoss() + " loss needs pseudo-labels but no"
            + " labeler is known: none joined the cluster within " + settings.labelerDiscoveryWait().toSeconds()
            + " s (aevlp labeler --seed-nodes ...) and this worker has no --labeler (host:port or dns:///host:port)");
      }
      labeler = labelerFactory.create(settings, targets, metrics::labelerRetried);
    }
    SpmlDataset dataset = ExperimentDataset.open(spec, settings.dataDir());
    ParallelImageDecoder decoder = new ParallelImageDecoder(settings.decoderThreads(), 4 * settings.decoderThreads());
    Replica replica = null;
    TensorTransport transport = null;
    try {
      replica = replicas.build(spec, dataset.numClasses());
      transport = TensorTransports.connect(endpoint.host(), endpoint.port(), endpoint.storeId(),
          settings.forceGrpcTensors(), settings.security(), settings.meterRegistry());
      return new ExperimentSession(experimentId, spec, objective, dataset, decoder, replica, transport, labeler,
          metrics);
    } catch (IOException | RuntimeException e) {
      decoder.close();
      if (replica != null) {
        replica.close();
      }
      if (labeler != null) {
        labeler.close();
      }
      throw e;
    }
  }

  /**
   * Whether {@code specJson} asks for pseudo-labels; false for a spec that does not load (opening
   * the session then reports why).
   */
  static boolean needsPseudoLabels(String specJson) {
    try {
      return TrainingObjective.fromSpec(SpecLoader.builtIn().load(specJson, "spec").spec()).needsPseudoLabels();
    } catch (SpecException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Makes the labeler client for the {@code targets} (read before every call); {@code onRetry} is
   * told of every retried call.
   */
  @FunctionalInterface
  interface LabelerFactory {
    PseudoLabelSource create(WorkerSettings settings, Supplier<List<String>> targets, Runnable onRetry);

    /** gRPC clients with the worker's security, metered on its registry. */
    LabelerFactory GRPC = (s, targets, onRetry) -> new LabelerClient(targets, s.labelerDeadline(),
        s.labelerBackoff(), s.security(), s.meterRegistry(), onRetry);
  }

  String experimentId() {
    return experimentId;
  }

  ExperimentSpec spec() {
    return spec;
  }

  TrainingObjective objective() {
    return objective;
  }

  ReplicaTrainer trainer() {
    return replica.trainer();
  }

  TensorTransport transport() {
    return transport;
  }

  MicroBatchPrefetcher prefetcher() {
    return prefetcher;
  }

  int numClasses() {
    return dataset.numClasses();
  }

  SampleLoader loader(EvalSplit split) {
    return split == EvalSplit.VALIDATION ? validation : test;
  }

  /** Decodes, flips, labels (pseudo-labels from the labeler when the loss reads them). */
  private PreparedBatch loadTrainingBatch(int epoch, List<Integer> indices) throws Exception {
    long start = System.nanoTime();
    int[] requested = indices.stream().mapToInt(Integer::intValue).toArray();
    LoadedSamples samples = train.loadForTraining(requested, spec.getSeed(), epoch);
    List<Integer> used = new ArrayList<>(samples.size());
    for (int index : samples.indices()) {
      used.add(index);
    }
    if (samples.size() == 0) {
      return new PreparedBatch(used, null, PseudoLabelCounts.ZERO, seconds(start));
    }
    float[] pseudo = null;
    PseudoLabelCounts counts = PseudoLabelCounts.ZERO;
    if (objective.needsPseudoLabels()) {
      long labelStart = System.nanoTime();
      int[][] rows = labeler.pseudoLabels(query(epoch, samples));
      metrics.pseudoLabelsFetched(seconds(labelStart));
      pseudo = flatten(rows, samples.numClasses());
      counts = PseudoLabelCounts.count(rows, positivesOnly(samples.observed()), toInts(samples.clean()));
    }
    MicroBatch batch = new MicroBatch(samples.size(), samples.sampleShape(), samples.images(), samples.numClasses(),
        objective.labels(samples, pseudo));
    return new PreparedBatch(used, batch, counts, seconds(start));
  }

  private PseudoLabelQuery query(int epoch, LoadedSamples samples) {
    List<float[]> observed = new ArrayList<>(samples.size());
    for (int row = 0; row < samples.size(); row++) {
      observed.add(samples.observed().rowAsFloats(row));
    }
    // The labeler indexes the official training files, not this run's train split.
    int[] sourceRows = new int[samples.size()];
    for (int row = 0; row < samples.size(); row++) {
      sourceRows[row] = dataset.trainSourceRow(samples.indices()[row]);
    }
    return new PseudoLabelQuery(spec.getDataset(), epoch, spec.getSeed(), sourceRows, observed,
        samples.numClasses(), dampParams(spec));
  }

  static DampParams dampParams(ExperimentSpec spec) {
    return DampParams.newBuilder()
        .setTemp(spec.getTemp())
        .setEta(spec.getEta())
        .setThreshold(spec.getThreshold())
        .setGridSize(spec.getGridSize())
        .setNegativeRatio(spec.getNegativeRatio())
        .setTopK(spec.getTopK())
        .setNegativePseudoLabels(spec.getNegativePseudoLabels())
        .setUseRefinement(spec.getUseRefinement())
        .setLocalViews(spec.getDampLocalViews())
        .build();
  }

  private static float[] flatten(int[][] rows, int classes) {
    float[] flat = new float[rows.length * classes];
    for (int r = 0; r < rows.length; r++) {
      for (int c = 0; c < classes; c++) {
        flat[r * classes + c] = rows[r][c];
      }
    }
    return flat;
  }

  /** Observed labels as 0/1 (an observed negative, -1, is not a positive). */
  private static int[][] positivesOnly(LabelMatrix observed) {
    int[][] rows = toInts(observed);
    for (int[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        row[c] = row[c] == 1 ? 1 : 0;
      }
    }
    return rows;
  }

  private static int[][] toInts(LabelMatrix matrix) {
    int[][] rows = new int[matrix.rows()][matrix.cols()];
    for (int r = 0; r < matrix.rows(); r++) {
      for (int c = 0; c < matrix.cols(); c++) {
        rows[r][c] = matrix.get(r, c);
      }
    }
    return rows;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  @Override
  public void close() {
    prefetcher.close();
    transport.close();
    if (labeler != null) {
      labeler.close();
    }
    decoder.close();
    replica.close();
  }
}
