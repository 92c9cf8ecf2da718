package org.aevlp.common.data.synthetic;

import java.util.List;

/**
 * What one synthetic image shows: its objects in drawing order (later ones on top) and the seed
 * of everything that carries no label (background texture, distractor blobs, pixel noise).
 */
public record Scene(List<SceneObject> objects, long textureSeed) {

  public Scene {
    objects = List.copyOf(objects);
  }

  /** Multi-hot truth over {@code classCount} classes: 1 where an object of that class is present. */
  public double[] labels(int classCount) {
    double[] labels = new double[classCount];
    for (SceneObject object : objects) {
      labels[object.shape().ordinal()] = 1;
    }
    return labels;
  }
}
