package org.aevlp.common.data.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws the content of a synthetic image: {@code n ~ U{min_objects..max_objects}} objects of
 * distinct classes drawn uniformly, each with a uniform colour, size and position.
 *
 * <p>Positions keep the whole object inside the image and keep objects apart: a centre is
 * accepted when its distance to every earlier centre is at least {@link #SEPARATION} times the sum
 * of the two radii; after {@link #PLACEMENT_ATTEMPTS} rejected draws the best-separated candidate
 * is used, so crowded images get some overlap rather than fewer objects.
 */
final class SceneSampler {

  static final double SEPARATION = 0.95;
  static final int PLACEMENT_ATTEMPTS = 60;
  /** Rotation jitter of every outline (±15°). */
  static final double MAX_JITTER = Math.toRadians(15);
  static final double MIN_SHADE = 0.85;
  static final double MAX_SHADE = 1.1;

  private final SyntheticSpec spec;

  SceneSampler(SyntheticSpec spec) {
    this.spec = spec;
  }

  Scene sample(SplittableRandom random) {
    int count = spec.minObjects() + random.nextInt(spec.maxObjects() - spec.minObjects() + 1);
    int[] classes = distinctClasses(random, count);
    List<SceneObject> objects = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ShapeClass shape = ShapeClass.values()[classes[i]];
      ObjectColour colour = ObjectColour.values()[random.nextInt(ObjectColour.values().length)];
      double size = uniform(random, spec.minObjectSize(), spec.maxObjectSize());
      double rotation = uniform(random, -MAX_JITTER, MAX_JITTER);
      if (shape == ShapeClass.ARROW || shape == ShapeClass.CRESCENT) {
        // direction is not part of these classes: point them any of four ways
        rotation += random.nextInt(4) * Math.PI / 2;
      }
      double shade = uniform(random, MIN_SHADE, MAX_SHADE);
      double[] centre = place(random, size, objects);
      objects.add(new SceneObject(shape, colour, centre[0], centre[1], size, rotation, shade));
    }
    return new Scene(objects, random.nextLong());
  }

  /** {@code count} distinct class indices in random order (a partial Fisher–Yates shuffle). */
  private int[] distinctClasses(SplittableRandom random, int count) {
    int[] pool = new int[spec.classCount()];
    for (int i = 0; i < pool.length; i++) {
      pool[i] = i;
    }
    for (int i = 0; i < count; i++) {
      int j = i + random.nextInt(pool.length - i);
      int swap = pool[i];
      pool[i] = pool[j];
      pool[j] = swap;
    }
    int[] chosen = new int[count];
    System.arraycopy(pool, 0, chosen, 0, count);
    return chosen;
  }

  private static double[] place(SplittableRandom random, double size, List<SceneObject> placed) {
    double radius = size / 2;
    double[] best = null;
    double bestSeparation = Double.NEGATIVE_INFINITY;
    for (int attempt = 0; attempt < PLACEMENT_ATTEMPTS; attempt++) {
      double cx = uniform(random, radius, 1 - radius);
      double cy = uniform(random, radius, 1 - radius);
      double separation = Double.POSITIVE_INFINITY;
      for (SceneObject other : placed) {
        double dx = cx - other.cx();
        double dy = cy - other.cy();
        double distance = Math.sqrt(dx * dx + dy * dy);
        separation = Math.min(separation, distance / (radius + other.size() / 2));
      }
      if (separation >= SEPARATION) {
        return new double[] {cx, cy};
      }
      if (separation > bestSeparation) {
        bestSeparation = separation;
        best = new double[] {cx, cy};
      }
    }
    return best;
  }

  private static double uniform(SplittableRandom random, double low, double high) {
    return low + (high - low) * random.nextDouble();
  }
}
