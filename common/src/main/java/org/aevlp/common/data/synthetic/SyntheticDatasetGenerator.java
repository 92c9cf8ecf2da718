package org.aevlp.common.data.synthetic;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.aevlp.common.image.ImageCodec;
import org.aevlp.common.image.RgbImage;
import org.aevlp.common.npy.NpyWriter;

/**
 * Generates the synthetic SPML dataset (DESIGN §5, §6) in the formatted SPML layout, so the loader
 * that reads VOC or COCO reads it too:
 *
 * <pre>
 * images/train_00000.png ...            formatted_train_*: spec.trainImages() images
 * images/val_00000.png ...              formatted_val_*:   spec.testImages() images (the test split)
 * formatted_{train,val}_images.npy      relative paths, numpy &lt;U strings
 * formatted_{train,val}_labels.npy      float64 N×C multi-hot truth
 * formatted_{train,val}_labels_obs.npy  float64 N×C, exactly one 1 per row (one observed positive,
 *                                       drawn uniformly from the image's positives), 0 elsewhere
 * classnames.txt                        one class name per line, in class-index order
 * captions/images/000000.png ...        captioned images for VLM pretraining
 * captions/captions.jsonl               {"path", "caption", "objects": [{"class", "colour", "cx", "cy", "size"}]}
 * dataset.json                          parameters, parameter hash, classes, statistics
 * .aevlp-synthetic                      completion marker, written last
 * </pre>
 *
 * <p>All paths are relative to the dataset directory. With the defaults, {@code formatted_train}
 * holds 5000 images, which the loader's {@code val_frac} 0.2 splits into 4000 train / 1000 val
 * (the feasibility study's 4000 / 800 is {@code val_frac} 0.1667 of 4800); {@code formatted_val}
 * holds the 1000 test images. Object positions in {@code captions.jsonl} are fractions of the image
 * side rounded to 4 decimals, so a pretraining step can crop a view and caption only the objects
 * whose centres fall inside it.
 *
 * <p>Deterministic: every image draws from its own random stream, seeded by (seed, split, index),
 * so the files do not depend on the number of threads. Captioned images use a stream of their
 * own, and every image is checked to differ from all others, so the caption split is disjoint from
 * the SPML splits. Cached: a directory whose marker records the same parameter hash is reused as
 * is; a directory whose marker says the generation did not finish is regenerated; a non-empty
 * directory without a marker is refused rather than overwritten.
 */
public final class SyntheticDatasetGenerator {

  public static final String IMAGES_DIR = "images";
  public static final String CAPTIONS_DIR = "captions";
  public static final String CAPTIONS_FILE = "captions.jsonl";
  public static final String CLASSNAMES_FILE = "classnames.txt";
  public static final String DESCRIPTION_FILE = "dataset.json";
  public static final String MARKER_FILE = ".aevlp-synthetic";
  /** Changes whenever the same spec would produce different files, so old caches are rebuilt. */
  public static final int FORMAT_VERSION = 1;

  private static final int CHUNK = 256;
  private static final String STATE_COMPLETE = "complete";
  private static final String STATE_IN_PROGRESS = "in-progress";

  /** The independent random streams of the three image sets. */
  private enum Split {
    TRAIN("train", 1),
    TEST("val", 2),
    CAPTIONS("captions", 3);

    final String fileTag;
    final long stream;

    Split(String fileTag, long stream) {
      this.fileTag = fileTag;
      this.stream = stream;
    }
  }

  private final int threads;
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final ObjectMapper jsonLines = new ObjectMapper();

  /** A generator using every available processor. */
  public SyntheticDatasetGenerator() {
    this(Runtime.getRuntime().availableProcessors());
  }

  /** A generator rendering on {@code threads} threads (output does not depend on it). */
  public SyntheticDatasetGenerator(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.threads = threads;
  }

  /**
   * Generates the dataset into {@code dir}, or reuses it when a complete dataset with the same
   * parameters is already there.
   *
   * @param progress receives the number of images done so far (of {@link SyntheticSpec#totalImages()}),
   *     always from the calling thread
   */
  public SyntheticDataset generate(Path dir, SyntheticSpec spec, LongConsumer progress)
      throws IOException, InterruptedException {
    String hash = parametersHash(spec);
    if (Files.isDirectory(dir)) {
      Map<String, String> marker = readMarker(dir);
      if (marker == null) {
        try (Stream<Path> entries = Files.list(dir)) {
          if (entries.findAny().isPresent()) {
            throw new IllegalArgumentException(
                "output directory " + dir + " is not empty and holds no synthetic dataset (no "
                    + MARKER_FILE + " marker); choose a new or empty directory");
          }
        }
      } else if (STATE_COMPLETE.equals(marker.get("state")) && hash.equals(marker.get("parameters_sha256"))) {
        SyntheticStatistics cached = readStatistics(dir);
        if (cached != null) {
          progress.accept(spec.totalImages());
          return new SyntheticDataset(dir, spec, cached, true);
        }
      }
    }
    Files.createDirectories(dir);
    writeMarker(dir, STATE_IN_PROGRESS, hash);
    deleteOutputs(dir);
    Files.createDirectories(dir.resolve(IMAGES_DIR));
    Files.createDirectories(dir.resolve(CAPTIONS_DIR).resolve(IMAGES_DIR));

    SyntheticStatistics statistics;
    ExecutorService pool = Executors.newFixedThreadPool(threads, SyntheticDatasetGenerator::daemonThread);
    try {
      DistinctImages distinct = new DistinctImages();
      ProgressCounter counter = new ProgressCounter(progress);
      SpmlSplit train = writeSpmlSplit(dir, spec, Split.TRAIN, spec.trainImages(), pool, distinct, counter);
      SpmlSplit test = writeSpmlSplit(dir, spec, Split.TEST, spec.testImages(), pool, distinct, counter);
      CaptionSet captions = writeCaptions(dir, spec, pool, distinct, counter);
      statistics = statistics(spec, train, test, captions);
    } finally {
      pool.shutdownNow();
    }
    Files.write(
        dir.resolve(CLASSNAMES_FILE),
        ShapeClass.firstClasses(spec.classCount()).stream().map(ShapeClass::displayName).toList(),
        StandardCharsets.UTF_8);
    writeDescription(dir, spec, hash, statistics);
    writeMarker(dir, STATE_COMPLETE, hash);
    return new SyntheticDataset(dir, spec, statistics, false);
  }

  /** SHA-256 over the format version and every parameter; the cache key of a dataset. */
  public static String parametersHash(SyntheticSpec spec) {
    try {
      // asMap() has a fixed key order, so the JSON text is canonical
      String canonical = "format_version=" + FORMAT_VERSION + ";parameters=" + new ObjectMapper().writeValueAsString(spec.asMap());
      return HexFormat.of().formatHex(DistinctImages.digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Labels of one formatted split, row-major N×C. */
  private record SpmlSplit(int rows, int classes, double[] labels, double[] observed) {}

  private record SpmlImage(String path, double[] labels, int observedClass, byte[] digest) {}

  private SpmlSplit writeSpmlSplit(
      Path dir, SyntheticSpec spec, Split split, int count, ExecutorService pool, DistinctImages distinct,
      ProgressCounter counter)
      throws IOException, InterruptedException {
    SceneSampler sampler = new SceneSampler(spec);
    SceneRenderer renderer = new SceneRenderer(spec);
    int classes = spec.classCount();
    String format = "%0" + digits(count) + "d";
    List<SpmlImage> images =
        runInChunks(
            count,
            pool,
            counter,
            index -> {
              SplittableRandom random = new SplittableRandom(imageSeed(spec.seed(), split.stream, index));
              Scene scene = sampler.sample(random);
              double[] labels = scene.labels(classes);
              int observed = drawObservedPositive(labels, random);
              String path = IMAGES_DIR + "/" + split.fileTag + "_" + String.format(format, index) + ".png";
              RgbImage image = renderer.render(scene);
              Files.write(dir.resolve(path), ImageCodec.encodePng(image));
              return new SpmlImage(path, labels, observed, DistinctImages.digest(image.rgbBytes()));
            });
    double[] labels = new double[count * classes];
    double[] observed = new double[count * classes];
    List<String> paths = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      SpmlImage image = images.get(i);
      distinct.add(image.digest(), image.path());
      paths.add(image.path());
      System.arraycopy(image.labels(), 0, labels, i * classes, classes);
      observed[i * classes + image.observedClass()] = 1;
    }
    String prefix = "formatted_" + split.fileTag + "_";
    NpyWriter.writeUnicode(dir.resolve(prefix + "images.npy"), paths);
    NpyWriter.writeFloat64(dir.resolve(prefix + "labels.npy"), labels, count, classes);
    NpyWriter.writeFloat64(dir.resolve(prefix + "labels_obs.npy"), observed, count, classes);
    return new SpmlSplit(count, classes, labels, observed);
  }

  /** One class drawn uniformly among the positives of {@code labels}. */
  private static int drawObservedPositive(double[] labels, SplittableRandom random) {
    int positives = 0;
    for (double label : labels) {
      positives += label == 1 ? 1 : 0;
    }
    int pick = random.nextInt(positives);
    for (int c = 0; c < labels.length; c++) {
      if (labels[c] == 1 && pick-- == 0) {
        return c;
      }
    }
    throw new IllegalStateException("unreachable: pick < positives");
  }

  private record CaptionedImage(ObjectNode line, int objects, boolean withColour, byte[] digest) {}

  private record CaptionSet(int images, int withColour, long objects) {}

  private CaptionSet writeCaptions(
      Path dir, SyntheticSpec spec, ExecutorService pool, DistinctImages distinct, ProgressCounter counter)
      throws IOException, InterruptedException {
    SceneSampler sampler = new SceneSampler(spec);
    SceneRenderer renderer = new SceneRenderer(spec);
    int count = spec.captionImages();
    String format = "%0" + Math.max(6, digits(count)) + "d";
    List<CaptionedImage> images =
        runInChunks(
            count,
            pool,
            counter,
            index -> {
              SplittableRandom random = new SplittableRandom(imageSeed(spec.seed(), Split.CAPTIONS.stream, index));
              Scene scene = sampler.sample(random);
              boolean withColour = random.nextBoolean();
              String path = CAPTIONS_DIR + "/" + IMAGES_DIR + "/" + String.format(format, index) + ".png";
              RgbImage image = renderer.render(scene);
              Files.write(dir.resolve(path), ImageCodec.encodePng(image));
              return new CaptionedImage(
                  captionLine(path, scene, withColour),
                  scene.objects().size(),
                  withColour,
                  DistinctImages.digest(image.rgbBytes()));
            });
    int withColour = 0;
    long objects = 0;
    try (BufferedWriter out =
        Files.newBufferedWriter(dir.resolve(CAPTIONS_DIR).resolve(CAPTIONS_FILE), StandardCharsets.UTF_8)) {
      for (CaptionedImage image : images) {
        distinct.add(image.digest(), image.line().get("path").asText());
        out.write(jsonLines.writeValueAsString(image.line()));
        out.write('\n');
        withColour += image.withColour() ? 1 : 0;
        objects += image.objects();
      }
    }
    return new CaptionSet(count, withColour, objects);
  }

  private ObjectNode captionLine(String path, Scene scene, boolean withColour) {
    ObjectNode line = jsonLines.createObjectNode();
    line.put("path", path);
    line.put("caption", CaptionWriter.caption(scene.objects(), withColour));
    ArrayNode objects = line.putArray("objects");
    for (SceneObject object : scene.objects()) {
      ObjectNode o = objects.addObject();
      o.put("class", object.shape().displayName());
      o.put("colour", object.colour().displayName());
      o.put("cx", round4(object.cx()));
      o.put("cy", round4(object.cy()));
      o.put("size", round4(object.size()));
    }
    return line;
  }

  @FunctionalInterface
  private interface ImageTask<T> {
    T make(int index) throws IOException;
  }

  /** Reports cumulative progress from the calling thread. */
  private static final class ProgressCounter {
    private final LongConsumer listener;
    private long done;

    ProgressCounter(LongConsumer listener) {
      this.listener = listener;
    }

    void add(int images) {
      done += images;
      listener.accept(done);
    }
  }

  /** Runs {@code task} for indices 0..count-1 on the pool, chunk by chunk; results in index order. */
  private static <T> List<T> runInChunks(int count, ExecutorService pool, ProgressCounter counter, ImageTask<T> task)
      throws IOException, InterruptedException {
    List<T> results = new ArrayList<>(count);
    for (int start = 0; start < count; start += CHUNK) {
      int end = Math.min(count, start + CHUNK);
      List<Callable<T>> chunk = new ArrayList<>(end - start);
      for (int i = start; i < end; i++) {
        int index = i;
        chunk.add(() -> task.make(index));
      }
      for (Future<T> future : pool.invokeAll(chunk)) {
        try {
          results.add(future.get());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof IOException io) {
            throw io;
          }
          if (e.getCause() instanceof RuntimeException runtime) {
            throw runtime;
          }
          throw new IllegalStateException("image generation failed", e.getCause());
        }
      }
      counter.add(end - start);
    }
    return results;
  }

  /**
   * The seed of one image: SplitMix64's finaliser applied to (seed, split stream, index) in turn,
   * so neighbouring indices and different splits get unrelated streams.
   */
  static long imageSeed(long seed, long stream, long index) {
    return mix64(mix64(mix64(seed) + stream) + index);
  }

  private static long mix64(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static SyntheticStatistics statistics(
      SyntheticSpec spec, SpmlSplit train, SpmlSplit test, CaptionSet captions) {
    long observed = countOnes(train.observed()) + countOnes(test.observed());
    return new SyntheticStatistics(
        train.rows(),
        test.rows(),
        captions.images(),
        spec.classCount(),
        (double) countOnes(train.labels()) / train.rows(),
        (double) countOnes(test.labels()) / test.rows(),
        observed,
        positivesPerClass(train),
        positivesPerClass(test),
        captions.withColour(),
        captions.images() == 0 ? 0 : (double) captions.objects() / captions.images());
  }

  private static long countOnes(double[] values) {
    long ones = 0;
    for (double v : values) {
      ones += v == 1 ? 1 : 0;
    }
    return ones;
  }

  private static List<Integer> positivesPerClass(SpmlSplit split) {
    int[] counts = new int[split.classes()];
    for (int i = 0; i < split.labels().length; i++) {
      counts[i % split.classes()] += split.labels()[i] == 1 ? 1 : 0;
    }
    List<Integer> list = new ArrayList<>(counts.length);
    for (int c : counts) {
      list.add(c);
    }
    return list;
  }

  private void writeDescription(Path dir, SyntheticSpec spec, String hash, SyntheticStatistics statistics)
      throws IOException {
    ObjectNode root = json.createObjectNode();
    root.put("generator", "aevlp synthetic SPML");
    root.put("format_version", FORMAT_VERSION);
    root.put("parameters_sha256", hash);
    root.set("parameters", json.valueToTree(spec.asMap()));
    ShapeClass.firstClasses(spec.classCount()).forEach(c -> root.withArray("classes").add(c.displayName()));
    for (ObjectColour colour : ObjectColour.values()) {
      root.withArray("colours").add(colour.displayName());
    }
    root.put("recommended_val_frac", SyntheticSpec.RECOMMENDED_VAL_FRAC);
    root.put(
        "layout",
        "formatted_train_* holds the train+val pool (val_frac 0.2 of the default 5000 gives 4000 train / 1000 val); "
            + "formatted_val_* is the test split; paths are relative to this directory; "
            + "labels_obs has exactly one observed positive (1) per row and 0 elsewhere");
    root.set("statistics", statistics.toJson());
    json.writeValue(dir.resolve(DESCRIPTION_FILE).toFile(), root);
  }

  private SyntheticStatistics readStatistics(Path dir) {
    try {
      return SyntheticStatistics.fromJson(json.readTree(dir.resolve(DESCRIPTION_FILE).toFile()).path("statistics"));
    } catch (IOException | IllegalArgumentException e) {
      // a complete marker but no readable description: treat as damaged and regenerate
      return null;
    }
  }

  /** The marker's key=value lines, or null when there is no marker. */
  private static Map<String, String> readMarker(Path dir) throws IOException {
    Path marker = dir.resolve(MARKER_FILE);
    if (!Files.isRegularFile(marker)) {
      return null;
    }
    Map<String, String> values = new HashMap<>();
    for (String line : Files.readAllLines(marker, StandardCharsets.UTF_8)) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        values.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return values;
  }

  /** Replaces the marker atomically, so it is never seen half-written. */
  private static void writeMarker(Path dir, String state, String hash) throws IOException {
    Path temporary = dir.resolve(MARKER_FILE + ".tmp");
    Files.writeString(
        temporary, "state=" + state + "\nparameters_sha256=" + hash + "\nformat_version=" + FORMAT_VERSION + "\n",
        StandardCharsets.UTF_8);
    Files.move(temporary, dir.resolve(MARKER_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Removes what an earlier (possibly interrupted) generation wrote; other files are left alone. */
  private static void deleteOutputs(Path dir) throws IOException {
    deleteTree(dir.resolve(IMAGES_DIR));
    deleteTree(dir.resolve(CAPTIONS_DIR));
    for (String split : List.of("train", "val")) {
      for (String kind : List.of("images", "labels", "labels_obs")) {
        Files.deleteIfExists(dir.resolve("formatted_" + split + "_" + kind + ".npy"));
      }
    }
    Files.deleteIfExists(dir.resolve(CLASSNAMES_FILE));
    Files.deleteIfExists(dir.resolve(DESCRIPTION_FILE));
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static int digits(int count) {
    return Math.max(5, String.valueOf(Math.max(0, count - 1)).length());
  }

  private static double round4(double value) {
    return Math.round(value * 10_000) / 10_000.0;
  }

  private static Thread daemonThread(Runnable runnable) {
    Thread thread = new Thread(runnable, "aevlp-synthetic-generator");
    thread.setDaemon(true);
    return thread;
  }
}
