package org.aevlp.labeler.cache;

import java.util.Objects;

/**
 * Identifies one rendered view of one image, the unit the {@link EmbeddingCache} stores.
 *
 * <p>The scorer is frozen and a view is fully determined by its image, grid size, view index and
 * flip, so this key determines the embedding. The global view (view 0) does not depend on the grid,
 * so {@link #of} stores its grid size as 0 and requests with different grids share it.
 *
 * @param source where the image comes from: a dataset id, or {@code sha256:<hex>} of an image's
 *     encoded bytes
 * @param sample the image's row in the dataset (0 for content-addressed images)
 * @param gridSize g for a tile, 0 for the global view
 * @param view 0 for the global view, {@code 1 + y·g + x} for a tile
 * @param flipped whether the view is mirrored
 */
public record ViewKey(String source, long sample, int gridSize, int view, boolean flipped) {

  public ViewKey {
    Objects.requireNonNull(source, "source");
    if (view < 0 || gridSize < 0) {
      throw new IllegalArgumentException("view and gridSize must be >= 0, got " + view + " and " + gridSize);
    }
    if ((view == 0) != (gridSize == 0)) {
      throw new IllegalArgumentException(
          "gridSize must be 0 exactly for the global view (view 0); got view " + view + ", gridSize " + gridSize);
    }
  }

  /** The key of view {@code view} under grid size {@code gridSize} (ignored for view 0). */
  public static ViewKey of(String source, long sample, int gridSize, int view, boolean flipped) {
    return new ViewKey(source, sample, view == 0 ? 0 : gridSize, view, flipped);
  }
}
