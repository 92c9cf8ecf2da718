package org.aevlp.labeler.text;

import java.util.List;
import java.util.Optional;
import org.aevlp.labeler.scorer.Scorer;

/**
 * A label-relation matrix from the class names alone: entry (i, j) is the cosine similarity of the
 * text embeddings of class i's and class j's prompts. The reference's matrices are of this kind
 * (diagonal 1 up to float error; VOC's off-diagonal entries lie between 0.71 and 0.96), and a
 * dataset without one (the synthetic set) gets it from its own scorer this way: no labels are read.
 */
public final class TextRelation {

  private TextRelation() {}

  /** The C×C matrix of {@code scorer}'s prompt embeddings of {@code classNames}. */
  public static float[][] of(Scorer scorer, List<String> classNames) {
    return cosine(ClassTextEmbeddings.compute(scorer, classNames, Optional.empty()).plain());
  }

  /** Pairwise cosine similarity of the rows (each row normalised here; a zero row is refused). */
  static float[][] cosine(float[][] rows) {
    int n = rows.length;
    double[] norms = new double[n];
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (float v : rows[i]) {
        sum += (double) v * v;
      }
      if (sum == 0) {
        throw new IllegalArgumentException("embedding " + i + " is zero: its cosine similarity is undefined");
      }
      norms[i] = Math.sqrt(sum);
    }
    float[][] relation = new float[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        double dot = 0;
        for (int k = 0; k < rows[i].length; k++) {
          dot += (double) rows[i][k] * rows[j][k];
        }
        float similarity = (float) (dot / (norms[i] * norms[j]));
        relation[i][j] = similarity;
        relation[j][i] = similarity;
      }
    }
    return relation;
  }
}
