package org.aevlp.labeler.text;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.aevlp.labeler.scorer.Scorer;
import org.aevlp.models.vlm.ClassPrompt;

/**
 * The class text embeddings DAMP compares views with (DESIGN.md §4, text embeddings): the
 * scorer's embedding of {@code "a photo of a {class}."} for every class, L2-normalised, and
 * optionally their refinement {@code t' = normalise(t + GCN(t))} by the frozen label-relation
 * {@link LabelGcn} over the dataset's {@link RelationAdjacency}.
 *
 * <p>The GCN's weights are drawn from a seed (the run's seed, so a run's refined embeddings are
 * reproducible; the reference's are not, QUIRKS D11). Refined embeddings are computed on first use
 * and kept for the {@value #REFINED_KEPT} most recently used seeds. Thread-safe.
 */
public final class ClassTextEmbeddings {

  /** Seeds whose refined embeddings are kept. */
  static final int REFINED_KEPT = 8;

  private final List<String> classNames;
  private final float[][] plain;
  private final Optional<RelationAdjacency> adjacency;
  private final Map<Long, float[][]> refinedBySeed =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, float[][]> eldest) {
          return size() > REFINED_KEPT;
        }
      };

  private ClassTextEmbeddings(List<String> classNames, float[][] plain, Optional<RelationAdjacency> adjacency) {
    this.classNames = List.copyOf(classNames);
    this.plain = plain;
    this.adjacency = adjacency;
  }

  /**
   * Embeds the prompts of {@code classNames} with {@code scorer}.
   *
   * @param adjacency the dataset's GCN adjacency (one row per class), or empty when it has none
   */
  public static ClassTextEmbeddings compute(
      Scorer scorer, List<String> classNames, Optional<RelationAdjacency> adjacency) {
    if (classNames.isEmpty()) {
      throw new IllegalArgumentException("classNames must not be empty");
    }
    if (adjacency.isPresent() && adjacency.get().size() != classNames.size()) {
      throw new IllegalArgumentException(
          "adjacency has " + adjacency.get().size() + " classes, classNames " + classNames.size());
    }
    float[][] embeddings = scorer.embedTexts(prompts(classNames));
    if (embeddings.length != classNames.size()) {
      throw new IllegalStateException(
          "scorer " + scorer.name() + " returned " + embeddings.length + " text embeddings for "
              + classNames.size() + " prompts");
    }
    return new ClassTextEmbeddings(classNames, embeddings, adjacency);
  }

  /** The zero-shot prompts, one per class, in class order. */
  public static List<String> prompts(List<String> classNames) {
    return classNames.stream().map(ClassPrompt::forClass).toList();
  }

  public List<String> classNames() {
    return classNames;
  }

  /** Number of classes C. */
  public int numClasses() {
    return plain.length;
  }

  /** Whether {@link #refined} is available (the dataset has a relation matrix). */
  public boolean canRefine() {
    return adjacency.isPresent();
  }

  /** The scorer's embeddings, [C][D]; a copy. */
  public float[][] plain() {
    return copy(plain);
  }

  /**
   * The GCN-refined embeddings with weights drawn from {@code gcnSeed}, [C][D], unit rows.
   *
   * @throws IllegalStateException if the dataset has no relation matrix
   */
  public float[][] refined(long gcnSeed) {
    RelationAdjacency relation =
        adjacency.orElseThrow(() -> new IllegalStateException("no relation matrix: cannot refine text embeddings"));
    synchronized (refinedBySeed) {
      float[][] cached = refinedBySeed.get(gcnSeed);
      if (cached != null) {
        return cached;
      }
    }
    // Computed outside the lock: two threads may both compute a new seed, with equal results.
    int dim = plain[0].length;
    double[][] input = new double[plain.length][dim];
    for (int c = 0; c < plain.length; c++) {
      for (int d = 0; d < dim; d++) {
        input[c][d] = plain[c][d];
      }
    }
    double[][] refined = LabelGcn.seeded(relation, dim, gcnSeed).refine(input);
    float[][] result = new float[refined.length][dim];
    for (int c = 0; c < refined.length; c++) {
      for (int d = 0; d < dim; d++) {
        result[c][d] = (float) refined[c][d];
      }
    }
    synchronized (refinedBySeed) {
      refinedBySeed.put(gcnSeed, result);
    }
    return result;
  }

  /**
   * The embeddings a request uses: {@link #refined(long) refined(seed)} when {@code useRefinement},
   * else the plain ones. The returned array is shared; callers must not modify it.
   */
  public float[][] forRequest(boolean useRefinement, long seed) {
    return useRefinement ? refined(seed) : plain;
  }

  private static float[][] copy(float[][] matrix) {
    float[][] out = new float[matrix.length][];
    for (int i = 0; i < matrix.length; i++) {
      out[i] = matrix[i].clone();
    }
    return out;
  }
}
