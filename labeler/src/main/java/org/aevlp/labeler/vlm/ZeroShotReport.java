package org.aevlp.labeler.vlm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import org.aevlp.common.data.ClassNames;
import org.aevlp.common.data.FormattedSpmlLoader;
import org.aevlp.common.data.LabelMatrix;
import org.aevlp.common.data.SplitOptions;
import org.aevlp.common.data.SpmlSplit;
import org.aevlp.common.data.synthetic.SyntheticDatasetGenerator;
import org.aevlp.common.eval.MeanAveragePrecision;
import org.aevlp.common.eval.PseudoLabelCounts;
import org.aevlp.common.eval.PseudoLabelQuality;
import org.aevlp.common.image.BilinearResize;
import org.aevlp.common.image.GridViews;
import org.aevlp.common.image.ImageCodec;
import org.aevlp.common.image.ImageNormalization;
import org.aevlp.common.image.RgbImage;
import org.aevlp.labeler.damp.DampAggregator;
import org.aevlp.labeler.damp.DampParams;
import org.aevlp.common.image.ViewFlips;
import org.aevlp.labeler.scorer.Scorer;
import org.aevlp.models.vlm.ClassPrompt;

/**
 * How well a scorer labels an SPML test split zero-shot (DESIGN.md §6) — evaluation only: nothing
 * here feeds back into pretraining.
 *
 * <ul>
 *   <li><b>mAP, softmax</b>: each image's class scores are {@code softmax_c(cos(image, prompt_c) /
 *       temp)} with the reference DAMP temperature (0.01); mAP over the test images (clean labels).
 *   <li><b>mAP, raw cosine</b>: the same with the cosines themselves as scores.
 *   <li><b>DAMP</b>: pseudo-labels from the global view and a g×g grid of tiles (each resized to the
 *       scorer's input size and mirrored by {@link ViewFlips} draws of epoch 0), with the given
 *       parameters, against the clean labels with the observed positive taken out
 *       ({@link PseudoLabelCounts}): precision, recall, F1 (the usual 2PR/(P+R)), extra positives per
 *       image ({@code predicted / N}) and true positives missing per image
 *       ({@code (positives − correct) / N}).
 * </ul>
 *
 * The global view of both mAPs is the whole image resized, not mirrored. Prompts are {@code "a photo
 * of a {class}."}; views are ImageNet-normalised.
 *
 * @param images test images evaluated
 * @param classes number of classes
 * @param softmaxTemp temperature of the softmax mAP
 * @param mapSoftmax mAP (percent) of per-image softmax scores
 * @param mapRawCosine mAP (percent) of raw cosine scores
 * @param damp DAMP parameters used
 * @param dampCounts pseudo-label counts, observed positives excluded
 * @param seconds wall-clock time of the evaluation
 */
public record ZeroShotReport(
    int images,
    int classes,
    double softmaxTemp,
    double mapSoftmax,
    double mapRawCosine,
    DampParams damp,
    PseudoLabelCounts dampCounts,
    double seconds) {

  /** The reference DAMP temperature (VOC config). */
  public static final double REFERENCE_TEMP = 0.01;

  /** Grid size whose figures DESIGN.md §6 reports at 64 px. */
  public static final int DEFAULT_GRID = 2;

  private static final int IMAGES_PER_BATCH = 64;

  /**
   * The reference VOC DAMP parameters (temp 0.01, eta 0.0, threshold 0.5, top_k 3, negative_ratio
   * 0.2) with grid size {@code gridSize}.
   */
  public static DampParams referenceDamp(int classes, int gridSize) {
    return new DampParams(REFERENCE_TEMP, 0.0, 0.5, gridSize, 3, 0.2, classes, false);
  }

  /** Precision, recall and F1 of the DAMP pseudo-labels. */
  public PseudoLabelQuality dampQuality() {
    return dampCounts.quality();
  }

  /** Pseudo-positives per image beyond the observed one. */
  public double extraPositivesPerImage() {
    return (double) dampCounts.predicted() / images;
  }

  /** Correct pseudo-positives per image beyond the observed one. */
  public double correctExtraPositivesPerImage() {
    return (double) dampCounts.correct() / images;
  }

  /** True, unobserved positives per image that DAMP did not find. */
  public double missingPositivesPerImage() {
    return (double) (dampCounts.positives() - dampCounts.correct()) / images;
  }

  /**
   * Evaluates {@code scorer} on the test split ({@code formatted_val_*}) of the synthetic dataset
   * in {@code datasetDir}, with class names from its {@code classnames.txt}, the reference DAMP
   * parameters at grid {@link #DEFAULT_GRID} and view flips seeded by {@code flipSeed}.
   */
  public static ZeroShotReport evaluateSynthetic(Scorer scorer, Path datasetDir, long flipSeed)
      throws IOException {
    SpmlSplit test =
        FormattedSpmlLoader.load(datasetDir, SplitOptions.of(0.2, 0), OptionalInt.empty()).test();
    ClassNames names = ClassNames.read(datasetDir.resolve(SyntheticDatasetGenerator.CLASSNAMES_FILE));
    return evaluate(
        scorer, test, datasetDir, names.names(), referenceDamp(names.size(), DEFAULT_GRID), flipSeed);
  }

  /**
   * Evaluates {@code scorer} on {@code split}.
   *
   * @param imageRoot directory the split's image paths are relative to
   * @param classNames one name per label column
   */
  public static ZeroShotReport evaluate(
      Scorer scorer,
      SpmlSplit split,
      Path imageRoot,
      List<String> classNames,
      DampParams damp,
      long flipSeed)
      throws IOException {
    long start = System.nanoTime();
    int classes = split.numClasses();
    if (classNames.size() != classes || damp.numClasses() != classes) {
      throw new IllegalArgumentException(
          "classNames: " + classNames.size() + " names and damp.num_classes " + damp.numClasses()
              + " must match the split's " + classes + " classes");
    }
    float[][] prompts = scorer.embedTexts(classNames.stream().map(ClassPrompt::forClass).toList());
    int n = split.size();
    int viewCount = damp.viewCount();
    double[][] globalCosines = new double[n][];
    double[][][] viewCosines = new double[n][][];
    ViewFlips flips = new ViewFlips(flipSeed);
    int size = scorer.inputSize();
    for (int from = 0; from < n; from += IMAGES_PER_BATCH) {
      int to = Math.min(n, from + IMAGES_PER_BATCH);
      List<float[]> views = new ArrayList<>((to - from) * (1 + viewCount));
      for (int i = from; i < to; i++) {
        RgbImage image = ImageCodec.decode(imageRoot.resolve(split.imagePaths().get(i)));
        views.add(tensor(BilinearResize.toSquare(image, size)));
        List<RgbImage> grid = GridViews.views(image, damp.gridSize());
        for (int v = 0; v < viewCount; v++) {
          RgbImage view = BilinearResize.toSquare(grid.get(v), size);
          views.add(tensor(flips.isFlipped(0, i, v) ? view.flipHorizontal() : view));
        }
      }
      float[][] embeddings = scorer.embedImages(views);
      for (int i = from; i < to; i++) {
        int base = (i - from) * (1 + viewCount);
        globalCosines[i] = cosines(embeddings[base], prompts);
        viewCosines[i] = new double[viewCount][];
        for (int v = 0; v < viewCount; v++) {
          viewCosines[i][v] = cosines(embeddings[base + 1 + v], prompts);
        }
      }
    }
    return fromCosines(
        globalCosines, viewCosines, positives(split.observed()), positives(split.labels()), damp,
        REFERENCE_TEMP, (System.nanoTime() - start) / 1e9);
  }

  /**
   * The figures from cosine similarities already computed.
   *
   * @param globalCosines [N][C] cosines of the unmirrored whole images, for the mAPs
   * @param viewCosines [N][g²+1][C] cosines of the DAMP views (view 0 global, then the tiles)
   * @param observed [N][C] observed positives, 0/1
   * @param truth [N][C] clean labels, 0/1
   */
  public static ZeroShotReport fromCosines(
      double[][] globalCosines,
      double[][][] viewCosines,
      int[][] observed,
      int[][] truth,
      DampParams damp,
      double softmaxTemp,
      double seconds) {
    int n = globalCosines.length;
    if (n == 0 || viewCosines.length != n || observed.length != n || truth.length != n) {
      throw new IllegalArgumentException(
          "globalCosines, viewCosines, observed, truth: need the same number (> 0) of images, got "
              + n + ", " + viewCosines.length + ", " + observed.length + ", " + truth.length);
    }
    double[][] softmax = new double[n][];
    for (int i = 0; i < n; i++) {
      softmax[i] = softmax(globalCosines[i], softmaxTemp);
    }
    double mapSoftmax = MeanAveragePrecision.of(softmax, truth).mapPercent();
    double mapRaw = MeanAveragePrecision.of(globalCosines, truth).mapPercent();
    DampAggregator aggregator = new DampAggregator(damp);
    int[][] pseudo = new int[n][];
    for (int i = 0; i < n; i++) {
      pseudo[i] = aggregator.aggregate(viewCosines[i], observed[i]).pseudoLabels();
    }
    PseudoLabelCounts counts = PseudoLabelCounts.count(pseudo, observed, truth);
    return new ZeroShotReport(
        n, damp.numClasses(), softmaxTemp, mapSoftmax, mapRaw, damp, counts, seconds);
  }

  /** The figures as JSON (the {@code zero_shot} block of {@code vlm.json}). */
  public ObjectNode toJson() {
    ObjectNode node = new ObjectMapper().createObjectNode();
    node.put("split", "test");
    node.put("images", images);
    node.put("classes", classes);
    node.put("softmax_temp", softmaxTemp);
    node.put("map_softmax", mapSoftmax);
    node.put("map_raw_cosine", mapRawCosine);
    ObjectNode dampNode = node.putObject("damp");
    dampNode.put("grid_size", damp.gridSize());
    dampNode.put("temp", damp.temp());
    dampNode.put("eta", damp.eta());
    dampNode.put("threshold", damp.threshold());
    dampNode.put("top_k", damp.topK());
    dampNode.put("negative_ratio", damp.negativeRatio());
    PseudoLabelQuality quality = dampQuality();
    dampNode.put("precision", quality.precision());
    dampNode.put("recall", quality.recall());
    dampNode.put("f1", quality.f1());
    dampNode.put("correct", dampCounts.correct());
    dampNode.put("predicted", dampCounts.predicted());
    dampNode.put("positives", dampCounts.positives());
    dampNode.put("extra_positives_per_image", extraPositivesPerImage());
    dampNode.put("missing_positives_per_image", missingPositivesPerImage());
    node.put("seconds", seconds);
    return node;
  }

  /** A few lines for people. */
  public String format() {
    PseudoLabelQuality quality = dampQuality();
    return String.format(
        Locale.ROOT,
        "Zero-shot on the test split (%d images, %d classes, prompts \"%s\"):%n"
            + "  mAP, softmax over classes (temp %s)  %5.1f%n"
            + "  mAP, raw cosine                        %5.1f%n"
            + "  DAMP g=%d (temp %s, eta %s, threshold %s, top_k %d, negative_ratio %s), observed positive excluded:%n"
            + "    precision %.1f  recall %.1f  F1 %.1f (2PR/(P+R))%n"
            + "    %.2f extra positives per image (%.2f correct), %.2f true positives missing per image%n"
            + "  (%.1f s)%n",
        images, classes, ClassPrompt.TEMPLATE, softmaxTemp, mapSoftmax, mapRawCosine,
        damp.gridSize(), damp.temp(), damp.eta(), damp.threshold(), damp.topK(), damp.negativeRatio(),
        quality.precision(), quality.recall(), quality.f1(),
        extraPositivesPerImage(), correctExtraPositivesPerImage(), missingPositivesPerImage(), seconds);
  }

  private static float[] tensor(RgbImage image) {
    return ImageNormalization.IMAGENET.toTensor(image).values();
  }

  private static double[] cosines(float[] embedding, float[][] prompts) {
    double[] out = new double[prompts.length];
    for (int c = 0; c < prompts.length; c++) {
      double dot = 0;
      for (int k = 0; k < embedding.length; k++) {
        dot += (double) embedding[k] * prompts[c][k];
      }
      out[c] = dot;
    }
    return out;
  }

  private static double[] softmax(double[] logits, double temp) {
    double max = Double.NEGATIVE_INFINITY;
    for (double l : logits) {
      max = Math.max(max, l / temp);
    }
    double sum = 0;
    double[] out = new double[logits.length];
    for (int c = 0; c < logits.length; c++) {
      out[c] = Math.exp(logits[c] / temp - max);
      sum += out[c];
    }
    for (int c = 0; c < out.length; c++) {
      out[c] /= sum;
    }
    return out;
  }

  /** 1 where the matrix holds 1, else 0 (observed negatives −1 are not positives). */
  private static int[][] positives(LabelMatrix matrix) {
    int[][] out = new int[matrix.rows()][matrix.cols()];
    for (int r = 0; r < matrix.rows(); r++) {
      for (int c : matrix.positives(r)) {
        out[r][c] = 1;
      }
    }
    return out;
  }
}
