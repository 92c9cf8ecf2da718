package org.aevlp.labeler.views;

import java.util.ArrayList;
import java.util.List;
import org.aevlp.common.image.BilinearResize;
import org.aevlp.common.image.GridViews;
import org.aevlp.common.image.ImageNormalization;
import org.aevlp.common.image.RgbImage;
import org.aevlp.common.image.ViewFlips;

/**
 * Turns an image into the views DAMP scores (DESIGN.md §4): view 0 is the whole image, view
 * {@code 1 + y·g + x} the tile in grid row y, column x ({@link GridViews}: {@code W div g × H div g},
 * no overlap, remainder dropped). Each view is
 *
 * <pre>
 *   crop → mirror left-right if its flip is drawn → bilinear resize to inputSize × inputSize
 *        → v/255 → (v − mean_c)/std_c, channel-major (3 × inputSize × inputSize floats)
 * </pre>
 *
 * <p>The resize goes straight to a square (no aspect-preserving crop), as the reference resizes its
 * views; the normalisation is ImageNet's by default, as the reference normalises its CLIP inputs.
 * The flip of view v of sample i in epoch e is {@link ViewFlips#isFlipped(int, int, int)
 * flips.isFlipped(e, i, v)}, so an epoch's views are reproducible and change from epoch to epoch.
 * Stateless and thread-safe.
 */
public final class ViewRenderer {

  private final int inputSize;
  private final ImageNormalization normalization;

  /** A renderer for a scorer taking {@code inputSize}-pixel square views, ImageNet-normalised. */
  public ViewRenderer(int inputSize) {
    this(inputSize, ImageNormalization.IMAGENET);
  }

  public ViewRenderer(int inputSize, ImageNormalization normalization) {
    if (inputSize < 1) {
      throw new IllegalArgumentException("inputSize must be >= 1, got " + inputSize);
    }
    this.inputSize = inputSize;
    this.normalization = normalization;
  }

  /** Side of the rendered views in pixels. */
  public int inputSize() {
    return inputSize;
  }

  /**
   * One view, ready for {@link org.aevlp.labeler.scorer.Scorer#embedImages}.
   *
   * @param gridSize g, at least 1 and at most the image's width and height
   * @param view 0 for the whole image, {@code 1 + y·g + x} for a tile
   * @param flipped mirror the view left-right
   */
  public float[] render(RgbImage image, int gridSize, int view, boolean flipped) {
    int views = GridViews.viewCount(gridSize);
    if (view < 0 || view >= views) {
      throw new IllegalArgumentException("view must be in [0, " + views + ") for grid size " + gridSize + ", got " + view);
    }
    RgbImage crop = view == 0
        ? image
        : GridViews.tile(image, gridSize, (view - 1) / gridSize, (view - 1) % gridSize);
    if (flipped) {
      crop = crop.flipHorizontal();
    }
    return normalization.toTensor(BilinearResize.toSquare(crop, inputSize)).values();
  }

  /**
   * All {@code 1 + g²} views of sample {@code sampleIndex} in {@code epoch}, in view order, each
   * flipped as {@code flips} draws it.
   */
  public List<float[]> renderAll(RgbImage image, int gridSize, ViewFlips flips, int epoch, int sampleIndex) {
    int views = GridViews.viewCount(gridSize);
    List<float[]> rendered = new ArrayList<>(views);
    for (int view = 0; view < views; view++) {
      rendered.add(render(image, gridSize, view, flips.isFlipped(epoch, sampleIndex, view)));
    }
    return rendered;
  }
}
