package org.aevlp.common.image;

import java.util.ArrayList;
import java.util.List;

/**
 * The views DAMP scores for one image (DESIGN §4): the global image plus a {@code g×g} grid of
 * tiles. Tiles are {@code W div g} wide and {@code H div g} high, do not overlap, and the
 * right/bottom remainder ({@code W mod g} columns, {@code H mod g} rows) is dropped.
 *
 * <p>View order: view 0 is the global image; view {@code 1 + y·g + x} is the tile in grid row
 * {@code y}, column {@code x}, whose top-left pixel is {@code (x·tileW, y·tileH)}.
 */
public final class GridViews {

  private GridViews() {}

  /** Number of views for grid size g: {@code 1 + g²}. */
  public static int viewCount(int g) {
    requireGrid(g);
    return 1 + g * g;
  }

  /** Index of the tile in grid row y, column x. */
  public static int viewIndex(int g, int y, int x) {
    requireGrid(g);
    if (y < 0 || y >= g || x < 0 || x >= g) {
      throw new IllegalArgumentException("tile (" + y + ", " + x + ") lies outside a " + g + "x" + g + " grid");
    }
    return 1 + y * g + x;
  }

  /** The tile in grid row y, column x. */
  public static RgbImage tile(RgbImage image, int g, int y, int x) {
    viewIndex(g, y, x);
    int tileWidth = image.width() / g;
    int tileHeight = image.height() / g;
    if (tileWidth == 0 || tileHeight == 0) {
      throw new IllegalArgumentException(
          "grid size " + g + " is larger than the " + image.width() + "x" + image.height() + " image");
    }
    return image.crop(x * tileWidth, y * tileHeight, tileWidth, tileHeight);
  }

  /** All {@code 1 + g²} views in view order. */
  public static List<RgbImage> views(RgbImage image, int g) {
    List<RgbImage> views = new ArrayList<>(viewCount(g));
    views.add(image);
    for (int y = 0; y < g; y++) {
      for (int x = 0; x < g; x++) {
        views.add(tile(image, g, y, x));
      }
    }
    return views;
  }

  private static void requireGrid(int g) {
    if (g < 1) {
      throw new IllegalArgumentException("grid size must be >= 1, got " + g);
    }
  }
}
