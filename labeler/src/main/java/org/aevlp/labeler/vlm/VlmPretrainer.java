package org.aevlp.labeler.vlm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.aevlp.common.image.ImageNormalization;
import org.aevlp.models.vlm.ClassPrompt;
import org.aevlp.models.vlm.TinyVlm;
import org.aevlp.models.vlm.Vocabulary;

/**
 * Pretrains the tiny VLM contrastively, CLIP-style, on the captioned synthetic images (DESIGN.md
 * §6) — and on nothing else: it is given a {@link CaptionSet} and never sees the SPML images or
 * their labels.
 *
 * <p>Each epoch visits the images in a seeded random order in batches of {@code batch_size} (the
 * last, smaller batch is kept when it has at least two images). Every image contributes one view
 * drawn by {@link PretrainViewSampler} from a random stream seeded by (seed, epoch, image index),
 * normalised with the ImageNet statistics; a background thread draws the next batch's views while
 * the current step runs. A step minimises {@link InfoNceLoss} over the batch with
 * {@link AdamW}; the learnable log logit scale starts at {@code ln(1/initial_temperature)} and is
 * clamped to {@code [0, ln(max_logit_scale)]} after every step, as CLIP does.
 *
 * <p>The vocabulary holds the prompt template's words, every class and colour word and every token
 * of the stored captions, in that first-seen order.
 *
 * <p>Deterministic on the CPU for a given seed (and thread count): initial weights come from the
 * seeded engine generator, every other draw from seeded Java streams. DJL allows one gradient
 * collector per JVM at a time, so nothing else may train in this JVM while {@link #train} runs.
 * Every per-step array lives in a sub-manager and an {@link NDScope} closed at the end of the step.
 */
public final class VlmPretrainer {

  private static final long SHUFFLE_STREAM = 1;
  private static final long VIEW_STREAM = 2;
  private static final NDIndex ALL = new NDIndex("...");

  private final PretrainOptions options;
  private final PretrainViewSampler sampler;

  public VlmPretrainer(PretrainOptions options) {
    this.options = options;
    this.sampler = new PretrainViewSampler(options);
  }

  public PretrainOptions options() {
    return options;
  }

  /** Steps per epoch for {@code images} images: full batches, plus the rest if it has ≥ 2. */
  public static int stepsPerEpoch(int images, int batchSize) {
    int full = images / batchSize;
    return images % batchSize >= 2 ? full + 1 : full;
  }

  /** The vocabulary a model pretrained on {@code captions} reads. */
  public static Vocabulary vocabularyFor(CaptionSet captions) {
    List<String> texts = new ArrayList<>();
    texts.add(ClassPrompt.TEMPLATE.replace("{class}", ""));
    texts.addAll(captions.classNames());
    texts.addAll(captions.colourNames());
    for (CaptionedImage image : captions.images()) {
      texts.add(image.caption());
      texts.add(CaptionComposer.compose(image.objects(), true));
      texts.add(CaptionComposer.compose(image.objects(), false));
    }
    return Vocabulary.fromTexts(texts);
  }

  /**
   * Trains a fresh model on {@code captions}.
   *
   * @param progress called after every step
   * @return the trained model, owning a new base manager (close it)
   * @throws IllegalArgumentException if there are fewer than two captioned images
   */
  public PretrainedVlm train(CaptionSet captions, PretrainProgress progress) {
    int images = captions.size();
    int steps = stepsPerEpoch(images, options.batchSize());
    if (steps == 0) {
      throw new IllegalArgumentException(
          "captions: need at least 2 captioned images for a contrastive batch, got " + images);
    }
    long start = System.nanoTime();
    NDManager manager = NDManager.newBaseManager();
    try {
      Vocabulary vocabulary = vocabularyFor(captions);
      TinyVlm model =
          TinyVlm.create(vocabulary, options.inputSize(), manager, Long.hashCode(options.seed()));
      NDArray logScale = manager.create((float) Math.log(1 / options.initialTemperature()));
      logScale.setRequiresGradient(true);
      List<NDArray> weights = new ArrayList<>();
      List<Boolean> decay = new ArrayList<>();
      for (Parameter p : trainable(model)) {
        weights.add(p.getArray());
        decay.add(p.getArray().getShape().dimension() >= 2);
      }
      weights.add(logScale);
      decay.add(false);
      double maxLogScale = Math.log(options.maxLogitScale());
      List<Double> epochLosses = new ArrayList<>();
      int[][] orders = new int[options.epochs()][];
      for (int epoch = 1; epoch <= options.epochs(); epoch++) {
        orders[epoch - 1] = permutation(images, StreamSeeds.of(options.seed(), SHUFFLE_STREAM, epoch));
      }
      ExecutorService prefetch = Executors.newSingleThreadExecutor(VlmPretrainer::prefetchThread);
      try (AdamW optimizer =
          new AdamW(manager, weights, toArray(decay), options.learningRate(), options.weightDecay())) {
        Future<Batch> next = prefetch.submit(() -> prepare(captions, orders, 1, 0));
        for (int epoch = 1; epoch <= options.epochs(); epoch++) {
          double lossSum = 0;
          for (int step = 0; step < steps; step++) {
            Batch batch = await(next);
            int followingEpoch = step + 1 < steps ? epoch : epoch + 1;
            int followingStep = step + 1 < steps ? step + 1 : 0;
            next =
                followingEpoch <= options.epochs()
                    ? prefetch.submit(() -> prepare(captions, orders, followingEpoch, followingStep))
                    : null;
            double loss = step(model, logScale, weights, optimizer, batch, manager, maxLogScale);
            lossSum += loss;
            progress.onStep(epoch, step + 1, steps, loss);
          }
          epochLosses.add(lossSum / steps);
        }
      } finally {
        prefetch.shutdownNow();
      }
      float finalLogScale = logScale.getFloat();
      logScale.close();
      double seconds = (System.nanoTime() - start) / 1e9;
      PretrainSummary summary =
          new PretrainSummary(
              epochLosses, (long) steps * options.epochs(), seconds, Math.exp(finalLogScale));
      return new PretrainedVlm(
          model, (float) Math.exp(finalLogScale), options, captions.contentHash(), images, summary,
          manager, false);
    } catch (RuntimeException | Error e) {
      manager.close();
      throw e;
    }
  }

  /** The normalised pixels (B×3×S×S, row-major) and captions of one batch. */
  private record Batch(float[] pixels, List<String> captions) {}

  /**
   * Draws the views of step {@code step} of {@code epoch} (on the prefetch thread; every view has
   * its own random stream, so the result does not depend on when it runs).
   */
  private Batch prepare(CaptionSet captions, int[][] orders, int epoch, int step) {
    int[] order = orders[epoch - 1];
    int from = step * options.batchSize();
    int to = Math.min(order.length, from + options.batchSize());
    int plane = 3 * options.inputSize() * options.inputSize();
    float[] pixels = new float[(to - from) * plane];
    List<String> texts = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      int index = order[i];
      SplittableRandom random =
          new SplittableRandom(StreamSeeds.of(options.seed(), VIEW_STREAM, epoch, index));
      PretrainView view = sampler.sample(captions.images().get(index), random);
      float[] tensor = ImageNormalization.IMAGENET.toTensor(view.image()).values();
      System.arraycopy(tensor, 0, pixels, (i - from) * plane, plane);
      texts.add(view.caption());
    }
    return new Batch(pixels, texts);
  }

  private static Batch await(Future<Batch> batch) {
    try {
      return batch.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while preparing a pretraining batch", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("preparing a pretraining batch failed", e.getCause());
    }
  }

  private static Thread prefetchThread(Runnable runnable) {
    Thread thread = new Thread(runnable, "aevlp-vlm-views");
    thread.setDaemon(true);
    return thread;
  }

  /** One forward/backward/update on a batch; returns the loss. */
  private double step(
      TinyVlm model,
      NDArray logScale,
      List<NDArray> weights,
      AdamW optimizer,
      Batch batchData,
      NDManager manager,
      double maxLogScale) {
    int size = options.inputSize();
    int count = batchData.captions().size();
    List<String> captions = batchData.captions();
    try (NDManager stepManager = manager.newSubManager();
        NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray batch = stepManager.create(batchData.pixels(), new Shape(count, 3, size, size));
      double loss;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray imageEmbeddings = model.embedImages(batch, true);
        NDArray textEmbeddings = model.embedCaptions(captions, stepManager, true);
        NDArray similarity = imageEmbeddings.matMul(textEmbeddings.transpose());
        NDArray value = InfoNceLoss.evaluate(similarity, logScale);
        collector.backward(value);
        loss = value.getFloat();
      }
      List<NDArray> gradients = new ArrayList<>(weights.size());
      try {
        for (NDArray weight : weights) {
          gradients.add(weight.getGradient());
        }
        optimizer.step(gradients);
        for (NDArray gradient : gradients) {
          gradient.set(ALL, 0f);
        }
      } finally {
        gradients.forEach(NDArray::close);
      }
      float current = logScale.getFloat();
      float clamped = (float) Math.min(Math.max(current, 0), maxLogScale);
      if (clamped != current) {
        logScale.subi(current - clamped);
      }
      return loss;
    }
  }

  private static List<Parameter> trainable(TinyVlm model) {
    List<Parameter> parameters = new ArrayList<>();
    for (Parameter p : model.imageTower().getParameters().values()) {
      if (p.requiresGradient()) {
        parameters.add(p);
      }
    }
    for (Parameter p : model.textTower().getParameters().values()) {
      if (p.requiresGradient()) {
        parameters.add(p);
      }
    }
    return parameters;
  }

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  private static int[] permutation(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }

  private static boolean[] toArray(List<Boolean> flags) {
    boolean[] array = new boolean[flags.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = flags.get(i);
    }
    return array;
  }
}
