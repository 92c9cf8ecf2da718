package org.aevlp.labeler.service;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.aevlp.common.image.DecodedBatch;
import org.aevlp.common.image.DecodedImage;
import org.aevlp.common.image.ParallelImageDecoder;
import org.aevlp.common.image.RgbImage;
import org.aevlp.common.image.ViewFlips;
import org.aevlp.labeler.cache.EmbeddingCache;
import org.aevlp.labeler.cache.ViewKey;
import org.aevlp.labeler.damp.DampAggregator;
import org.aevlp.labeler.scorer.Scorer;
import org.aevlp.labeler.text.ClassTextEmbeddings;
import org.aevlp.labeler.views.ViewRenderer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes DAMP pseudo-labels for batches of {@link LabelingTask}s (DESIGN.md §4, §6):
 *
 * <ol>
 *   <li>every item's views get their flips from {@code ViewFlips(seed).isFlipped(epoch, index, v)}
 *       and are looked up in the {@link EmbeddingCache};
 *   <li>the images of items with a missing view are decoded (dataset files on the decoder's pool;
 *       request images arrive decoded), the missing views rendered ({@link ViewRenderer}) and
 *       embedded in one scorer call for the whole batch, and cached;
 *   <li>per item, {@code cos[v][c] = e_v · t_c} (both unit vectors) over views × classes, then
 *       {@link DampAggregator} gives the pseudo-label row.
 * </ol>
 *
 * <p>With {@code embedBothFlips}, a missing view is embedded in both orientations: the first epoch
 * costs twice the scorer work, and every later epoch finds all its views in the cache (each view
 * is flipped or not, so two variants cover every draw). Without it, later epochs re-embed the
 * views whose flip they draw for the first time (half of them in epoch 2, a quarter in epoch 3...).
 *
 * <p>An unreadable dataset image (missing, corrupt) yields an all-zero row marked unreadable; it is
 * counted and logged once by the decoder's log. Thread-safe: several actors may label batches at
 * once (the scorer must allow concurrent calls, as {@link Scorer} asks).
 */
public final class DampLabeler {

  private static final Logger LOG = LoggerFactory.getLogger(DampLabeler.class);

  private final Scorer scorer;
  private final Map<String, LabelerDataset> datasets;
  private final Map<String, ClassTextEmbeddings> textEmbeddings;
  private final EmbeddingCache cache;
  private final ViewRenderer renderer;
  private final ParallelImageDecoder decoder;
  private final LabelerMetrics metrics;
  private final boolean embedBothFlips;

  /**
   * Embeds every dataset's class prompts with {@code scorer} (the scorer stays the caller's to
   * close, as do the cache and decoder).
   */
  public DampLabeler(
      Scorer scorer,
      List<LabelerDataset> datasets,
      EmbeddingCache cache,
      ParallelImageDecoder decoder,
      LabelerMetrics metrics,
      boolean embedBothFlips) {
    this.scorer = Objects.requireNonNull(scorer, "scorer");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.decoder = Objects.requireNonNull(decoder, "decoder");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    // Without a cache the second orientation could never be used.
    this.embedBothFlips = embedBothFlips && cache.maxBytes() > 0;
    this.renderer = new ViewRenderer(scorer.inputSize());
    Map<String, LabelerDataset> byId = new LinkedHashMap<>();
    Map<String, ClassTextEmbeddings> texts = new HashMap<>();
    for (LabelerDataset dataset : datasets) {
      if (byId.put(dataset.id(), dataset) != null) {
        throw new IllegalArgumentException("dataset " + dataset.id() + " is given twice");
      }
      texts.put(dataset.id(), ClassTextEmbeddings.compute(scorer, dataset.classNames(), dataset.adjacency()));
    }
    if (byId.isEmpty()) {
      throw new IllegalArgumentException("a labeler needs at least one dataset");
    }
    this.datasets = Map.copyOf(byId);
    this.textEmbeddings = Map.copyOf(texts);
  }

  /** The served dataset with this id. */
  public Optional<LabelerDataset> dataset(String id) {
    return Optional.ofNullable(datasets.get(id));
  }

  /** Ids of the served datasets. */
  public Set<String> datasetIds() {
    return datasets.keySet();
  }

  /** The class text embeddings of a served dataset. */
  public ClassTextEmbeddings textEmbeddings(String datasetId) {
    ClassTextEmbeddings texts = textEmbeddings.get(datasetId);
    if (texts == null) {
      throw new IllegalArgumentException("dataset " + datasetId + " is not served; served: " + datasetIds());
    }
    return texts;
  }

  /** The cache this labeler reads and fills. */
  public EmbeddingCache cache() {
    return cache;
  }

  /** The key under which view {@code view} of {@code item} of {@code task} is cached. */
  public static ViewKey viewKey(LabelingTask task, LabelingItem item, int view) {
    boolean flipped = new ViewFlips(task.seed()).isFlipped(task.epoch(), item.flipIndex(), view);
    return viewKey(task, item, view, flipped);
  }

  private static ViewKey viewKey(LabelingTask task, LabelingItem item, int view, boolean flipped) {
    int gridSize = task.params().gridSize();
    if (item instanceof LabelingItem.InlineImage inline) {
      return ViewKey.of("sha256:" + inline.contentHash(), 0, gridSize, view, flipped);
    }
    return ViewKey.of(task.datasetId(), item.key(), gridSize, view, flipped);
  }

  /** Pseudo-labels every task of a batch; results in task order. */
  public List<LabelingResult> label(List<LabelingTask> tasks) throws InterruptedException {
    List<Plan> plans = new ArrayList<>();
    for (LabelingTask task : tasks) {
      textEmbeddings(task.datasetId()); // fails early, naming the dataset, if it is not served
      for (LabelingItem item : task.items()) {
        plans.add(plan(task, item));
      }
    }
    loadImages(plans);
    Map<ViewKey, float[]> embedded = embedMissingViews(plans);

    List<LabelingResult> results = new ArrayList<>(tasks.size());
    int next = 0;
    for (LabelingTask task : tasks) {
      DampAggregator aggregator = new DampAggregator(task.params());
      float[][] texts = textEmbeddings.get(task.datasetId()).forRequest(task.useRefinement(), task.seed());
      List<LabeledRow> rows = new ArrayList<>(task.items().size());
      int hits = 0;
      for (int i = 0; i < task.items().size(); i++) {
        Plan plan = plans.get(next++);
        rows.add(plan.label(aggregator, texts, embedded));
        hits += plan.allCached ? 1 : 0;
      }
      results.add(new LabelingResult(rows, hits));
    }
    metrics.scored(plans.size(), embedded.size());
    return results;
  }

  private Plan plan(LabelingTask task, LabelingItem item) {
    int views = task.params().viewCount();
    Plan plan = new Plan(task, item, views);
    for (int v = 0; v < views; v++) {
      plan.keys[v] = viewKey(task, item, v);
      plan.embeddings[v] = cache.get(plan.keys[v]);
      plan.allCached &= plan.embeddings[v] != null;
    }
    if (item instanceof LabelingItem.InlineImage inline) {
      plan.image = inline.image();
    }
    return plan;
  }

  /** Decodes the dataset images of the items that miss a view. */
  private void loadImages(List<Plan> plans) throws InterruptedException {
    List<Plan> toDecode = new ArrayList<>();
    List<Path> paths = new ArrayList<>();
    for (Plan plan : plans) {
      if (!plan.allCached && plan.item instanceof LabelingItem.DatasetSample sample) {
        toDecode.add(plan);
        paths.add(datasets.get(plan.task.datasetId()).imagePath(sample.index()));
      }
    }
    if (paths.isEmpty()) {
      return;
    }
    DecodedBatch decoded = decoder.decode(paths);
    for (DecodedImage image : decoded.images()) {
      toDecode.get(image.index()).image = image.image();
    }
    decoded.skipped().forEach(skipped -> toDecode.get(skipped.index()).unreadable = true);
  }

  /** Renders and embeds every missing view in one scorer call; caches and returns them by key. */
  private Map<ViewKey, float[]> embedMissingViews(List<Plan> plans) {
    Map<ViewKey, float[]> views = new LinkedHashMap<>();
    for (Plan plan : plans) {
      if (plan.allCached || plan.unreadable) {
        continue;
      }
      try {
        Map<ViewKey, float[]> rendered = new LinkedHashMap<>();
        for (int v = 0; v < plan.keys.length; v++) {
          if (plan.embeddings[v] != null) {
            continue;
          }
          addView(plan, v, plan.keys[v].flipped(), views, rendered);
          if (embedBothFlips) {
            addView(plan, v, !plan.keys[v].flipped(), views, rendered);
          }
        }
        views.putAll(rendered);
      } catch (IllegalArgumentException e) {
        // e.g. an image smaller than the grid: it cannot be cut into views
        LOG.warn("cannot render the views of {} item {}: {}", plan.task.datasetId(), plan.item.key(), e.getMessage());
        plan.unreadable = true;
      }
    }
    if (views.isEmpty()) {
      return views;
    }
    List<ViewKey> keys = new ArrayList<>(views.keySet());
    float[][] embeddings = scorer.embedImages(new ArrayList<>(views.values()));
    if (embeddings.length != keys.size()) {
      throw new IllegalStateException(
          "scorer " + scorer.name() + " returned " + embeddings.length + " embeddings for " + keys.size() + " views");
    }
    for (int i = 0; i < keys.size(); i++) {
      views.put(keys.get(i), embeddings[i]);
      cache.put(keys.get(i), embeddings[i]);
    }
    return views;
  }

  private void addView(Plan plan, int view, boolean flipped, Map<ViewKey, float[]> batch, Map<ViewKey, float[]> rendered) {
    ViewKey key = viewKey(plan.task, plan.item, view, flipped);
    boolean needed = flipped == plan.keys[view].flipped() || !cache.contains(key);
    if (needed && !batch.containsKey(key) && !rendered.containsKey(key)) {
      rendered.put(key, renderer.render(plan.image, plan.task.params().gridSize(), view, flipped));
    }
  }

  /** One item's views and their embeddings as they are found. */
  private static final class Plan {
    final LabelingTask task;
    final LabelingItem item;
    final ViewKey[] keys;
    final float[][] embeddings;
    boolean allCached = true;
    boolean unreadable;
    RgbImage image;

    Plan(LabelingTask task, LabelingItem item, int views) {
      this.task = task;
      this.item = item;
      this.keys = new ViewKey[views];
      this.embeddings = new float[views][];
    }

    LabeledRow label(DampAggregator aggregator, float[][] texts, Map<ViewKey, float[]> embedded) {
      if (unreadable) {
        return new LabeledRow(item.key(), new int[texts.length], true);
      }
      double[][] logits = new double[keys.length][texts.length];
      for (int v = 0; v < keys.length; v++) {
        float[] view = embeddings[v] != null ? embeddings[v] : embedded.get(keys[v]);
        for (int c = 0; c < texts.length; c++) {
          logits[v][c] = dot(view, texts[c]);
        }
      }
      return new LabeledRow(item.key(), aggregator.aggregate(logits, item.observed()).pseudoLabels(), false);
    }

    private static double dot(float[] a, float[] b) {
      if (a.length != b.length) {
        throw new IllegalStateException(
            "view embedding has " + a.length + " entries, text embedding " + b.length);
      }
      double sum = 0;
      for (int d = 0; d < a.length; d++) {
        sum += (double) a[d] * b[d];
      }
      return sum;
    }
  }
}
