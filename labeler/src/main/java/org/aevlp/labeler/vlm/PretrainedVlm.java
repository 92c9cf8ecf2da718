package org.aevlp.labeler.vlm;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.aevlp.models.Architecture;
import org.aevlp.models.io.BackboneWeights;
import org.aevlp.models.vlm.TinyVlm;
import org.aevlp.models.vlm.Vocabulary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pretrained tiny VLM and its on-disk cache (DESIGN.md §6). Owns the NDManager its parameters live
 * on: close it when done.
 *
 * <h2>Cache directory</h2>
 *
 * <pre>
 * image-tower.backbone   the image tower as a BackboneWeights file of arch tiny-vlm: a worker starts
 *                        an `arch: tiny-vlm` classifier from it (NetworkFactory.buildWithBackbone)
 * text-tower.params      the text tower (TextTowerWeights format)
 * vocabulary.txt         the text tower's tokens, one per line, line number = id
 * vlm.json               format version, training parameters, SHA-256 of the captioned data,
 *                        learned logit scale, training summary, and (once measured) zero-shot figures
 * </pre>
 *
 * <p>The directory is written whole into a temporary sibling and renamed into place, so a reader
 * sees either the previous cache, no cache, or the complete new one; {@code vlm.json} is written
 * last. A directory that lacks a file or holds an unreadable one is not a cache:
 * {@link #loadOrTrain} trains again and replaces it.
 */
public final class PretrainedVlm implements AutoCloseable {

  public static final String IMAGE_TOWER_FILE = "image-tower.backbone";
  public static final String TEXT_TOWER_FILE = "text-tower.params";
  public static final String VOCABULARY_FILE = "vocabulary.txt";
  public static final String DESCRIPTION_FILE = "vlm.json";
  /** Changes whenever a saved cache could no longer be read the same way. */
  public static final int FORMAT_VERSION = 1;

  private static final Logger LOG = LoggerFactory.getLogger(PretrainedVlm.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final TinyVlm model;
  private final float logitScale;
  private final PretrainOptions options;
  private final String datasetHash;
  private final int captionedImages;
  private final PretrainSummary summary;
  private final NDManager manager;
  private final boolean reused;

  PretrainedVlm(
      TinyVlm model,
      float logitScale,
      PretrainOptions options,
      String datasetHash,
      int captionedImages,
      PretrainSummary summary,
      NDManager manager,
      boolean reused) {
    this.model = model;
    this.logitScale = logitScale;
    this.options = options;
    this.datasetHash = datasetHash;
    this.captionedImages = captionedImages;
    this.summary = summary;
    this.manager = manager;
    this.reused = reused;
  }

  /** The towers and vocabulary. */
  public TinyVlm model() {
    return model;
  }

  /** The learned logit scale {@code s} (the InfoNCE temperature is {@code 1/s}). */
  public float logitScale() {
    return logitScale;
  }

  /** The recipe it was trained with. */
  public PretrainOptions options() {
    return options;
  }

  /** SHA-256 of the captioned data it was trained on ({@link CaptionSet#contentHash()}). */
  public String datasetHash() {
    return datasetHash;
  }

  /** Number of captioned images it was trained on. */
  public int captionedImages() {
    return captionedImages;
  }

  /** Losses, steps, time and final logit scale of its training run. */
  public PretrainSummary summary() {
    return summary;
  }

  /** True when it was loaded from a cache rather than trained in this call. */
  public boolean reused() {
    return reused;
  }

  /** Side of the square input views. */
  public int inputSize() {
    return options.inputSize();
  }

  /**
   * The cached model in {@code cacheDir} if it was trained with {@code options} on captions whose
   * content hash is that of {@code captionsDir}; otherwise trains one, saves it there (replacing
   * whatever was there) and returns it.
   *
   * @param progress called after every training step (not called when the cache is used)
   */
  public static PretrainedVlm loadOrTrain(
      Path cacheDir, Path captionsDir, PretrainOptions options, PretrainProgress progress)
      throws IOException {
    String hash = CaptionSet.contentHash(captionsDir);
    Optional<PretrainedVlm> cached = loadIfMatching(cacheDir, hash, options);
    if (cached.isPresent()) {
      return cached.get();
    }
    CaptionSet captions = CaptionSet.read(captionsDir);
    PretrainedVlm trained = new VlmPretrainer(options).train(captions, progress);
    try {
      trained.save(cacheDir);
    } catch (IOException | RuntimeException e) {
      trained.close();
      throw e;
    }
    return trained;
  }

  /**
   * The model cached in {@code cacheDir} when it is complete and was trained with {@code options} on
   * data of hash {@code datasetHash}; empty otherwise (no cache, another recipe or data, or a
   * damaged cache, which is logged).
   */
  public static Optional<PretrainedVlm> loadIfMatching(
      Path cacheDir, String datasetHash, PretrainOptions options) {
    Path description = cacheDir.resolve(DESCRIPTION_FILE);
    if (!Files.isRegularFile(description)) {
      return Optional.empty();
    }
    try {
      JsonNode root = JSON.readTree(description.toFile());
      if (root.path("format_version").asInt(-1) != FORMAT_VERSION) {
        LOG.info("{}: format version differs from {}; retraining", description, FORMAT_VERSION);
        return Optional.empty();
      }
      if (!datasetHash.equals(root.path("dataset_sha256").asText())) {
        LOG.info("{}: trained on other captioned data; retraining", description);
        return Optional.empty();
      }
      if (!options.equals(optionsOf(root))) {
        LOG.info("{}: trained with other parameters; retraining", description);
        return Optional.empty();
      }
      return Optional.of(load(cacheDir));
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("{} is not a usable VLM cache ({}); retraining", cacheDir, e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Loads the model cached in {@code cacheDir}.
   *
   * @throws IOException if a file is missing, unreadable or inconsistent (naming it)
   */
  public static PretrainedVlm load(Path cacheDir) throws IOException {
    Path description = cacheDir.resolve(DESCRIPTION_FILE);
    JsonNode root;
    try {
      root = JSON.readTree(description.toFile());
    } catch (IOException e) {
      throw new IOException(description + ": unreadable: " + e.getMessage(), e);
    }
    if (root == null || root.path("format_version").asInt(-1) != FORMAT_VERSION) {
      throw new IOException(
          description + ": format_version must be " + FORMAT_VERSION + ", got "
              + (root == null ? "an empty file" : root.path("format_version")));
    }
    PretrainOptions options;
    try {
      options = optionsOf(root);
    } catch (IllegalArgumentException e) {
      throw new IOException(description + ": parameters." + e.getMessage(), e);
    }
    Vocabulary vocabulary = readVocabulary(cacheDir.resolve(VOCABULARY_FILE));
    NDManager manager = NDManager.newBaseManager();
    try {
      TinyVlm model = TinyVlm.create(vocabulary, options.inputSize(), manager, 0);
      try {
        BackboneWeights.load(
            requireFile(cacheDir.resolve(IMAGE_TOWER_FILE)), Architecture.TINY_VLM,
            model.imageTower(), manager);
      } catch (IllegalArgumentException e) {
        throw new IOException(e.getMessage(), e);
      }
      TextTowerWeights.load(requireFile(cacheDir.resolve(TEXT_TOWER_FILE)), model.textTower(), manager);
      float logitScale = (float) requireNumber(root, "logit_scale", description);
      List<Double> losses = new ArrayList<>();
      root.path("training").path("epoch_losses").forEach(n -> losses.add(n.asDouble()));
      PretrainSummary summary =
          new PretrainSummary(
              losses,
              root.path("training").path("steps").asLong(),
              root.path("training").path("seconds").asDouble(),
              logitScale);
      return new PretrainedVlm(
          model, logitScale, options, root.path("dataset_sha256").asText(),
          root.path("captioned_images").asInt(), summary, manager, true);
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * Writes the model to {@code cacheDir}, atomically replacing whatever is there (see the class
   * comment).
   */
  public void save(Path cacheDir) throws IOException {
    Path target = cacheDir.toAbsolutePath();
    Path parent = target.getParent();
    Files.createDirectories(parent);
    String name = target.getFileName().toString();
    Path staging = Files.createTempDirectory(parent, "." + name + ".writing-");
    try {
      BackboneWeights.save(staging.resolve(IMAGE_TOWER_FILE), Architecture.TINY_VLM, model.imageTower());
      TextTowerWeights.save(staging.resolve(TEXT_TOWER_FILE), model.textTower());
      Files.write(staging.resolve(VOCABULARY_FILE), model.vocabulary().tokens(), StandardCharsets.UTF_8);
      JSON.writeValue(staging.resolve(DESCRIPTION_FILE).toFile(), description());
      shareForReading(staging);
      replaceDirectory(staging, target);
    } finally {
      deleteTree(staging);
    }
  }

  /**
   * Adds (or replaces) the {@code zero_shot} figures in the {@code vlm.json} of {@code cacheDir};
   * the file is replaced atomically. The figures are a record of evaluation only: loading ignores
   * them.
   */
  public static void recordZeroShot(Path cacheDir, ZeroShotReport report) throws IOException {
    Path description = cacheDir.resolve(DESCRIPTION_FILE);
    JsonNode root = JSON.readTree(description.toFile());
    if (!(root instanceof ObjectNode object)) {
      throw new IOException(description + ": not a JSON object");
    }
    object.set("zero_shot", report.toJson());
    Path temporary = Files.createTempFile(cacheDir, "." + DESCRIPTION_FILE, ".tmp");
    try {
      JSON.writeValue(temporary.toFile(), object);
      shareForReading(temporary);
      Files.move(temporary, description, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private ObjectNode description() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format_version", FORMAT_VERSION);
    root.put("model", "tiny-vlm");
    root.put("embedding_dim", TinyVlm.EMBEDDING_DIM);
    root.put("input_size", options.inputSize());
    root.put("input_normalisation", "ImageNet mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225)");
    root.put("vocabulary_size", model.vocabulary().size());
    root.put("image_tower_parameters", parameterCount(model.imageTower().getParameters().values()));
    root.put("text_tower_parameters", parameterCount(model.textTower().getParameters().values()));
    root.set("parameters", JSON.valueToTree(options.asMap()));
    root.put("dataset_sha256", datasetHash);
    root.put("captioned_images", captionedImages);
    root.put("logit_scale", logitScale);
    root.put("temperature", 1.0 / logitScale);
    ObjectNode training = root.putObject("training");
    training.put("steps", summary.steps());
    training.put("seconds", summary.seconds());
    summary.epochLosses().forEach(training.putArray("epoch_losses")::add);
    ObjectNode files = root.putObject("files");
    files.put("image_tower", IMAGE_TOWER_FILE + " (BackboneWeights, arch tiny-vlm)");
    files.put("text_tower", TEXT_TOWER_FILE);
    files.put("vocabulary", VOCABULARY_FILE);
    return root;
  }

  private static PretrainOptions optionsOf(JsonNode root) {
    JsonNode parameters = root.path("parameters");
    if (!parameters.isObject()) {
      throw new IllegalArgumentException("parameters: missing");
    }
    Map<String, Object> map = JSON.convertValue(parameters, new TypeReference<Map<String, Object>>() {});
    return PretrainOptions.fromMap(map);
  }

  private static Vocabulary readVocabulary(Path file) throws IOException {
    List<String> tokens = Files.readAllLines(requireFile(file), StandardCharsets.UTF_8);
    try {
      return Vocabulary.of(tokens);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  private static double requireNumber(JsonNode root, String field, Path file) throws IOException {
    JsonNode value = root.get(field);
    if (value == null || !value.isNumber()) {
      throw new IOException(file + ": " + field + " must be a number");
    }
    return value.asDouble();
  }

  private static Path requireFile(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": missing from the VLM cache");
    }
    return file;
  }

  private static long parameterCount(List<Parameter> parameters) {
    return parameters.stream()
        .filter(Parameter::requiresGradient)
        .mapToLong(p -> p.getArray().getShape().size())
        .sum();
  }

  /**
   * Makes {@code path} (and, for a directory, its files) readable by everyone, as an ordinary
   * directory would be: temporary files and directories are created owner-only, and workers of
   * another user may load the image tower. No-op where POSIX permissions do not exist.
   */
  private static void shareForReading(Path path) throws IOException {
    if (!Files.getFileStore(path).supportsFileAttributeView(PosixFileAttributeView.class)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(path)) {
      for (Path p : paths.toList()) {
        Files.setPosixFilePermissions(
            p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
  }

  /** Moves {@code staging} to {@code target}; an existing target is moved aside first, then deleted. */
  private static void replaceDirectory(Path staging, Path target) throws IOException {
    Path old = null;
    if (Files.exists(target)) {
      old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
      Files.delete(old);
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    if (old != null) {
      deleteTree(old);
    }
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

  @Override
  public void close() {
    manager.close();
  }
}
