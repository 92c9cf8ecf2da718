package org.aevlp.common.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class GridViewsTest {

  /** A 10x7 image whose red channel is x, green is y and blue is 100 + x + 10y. */
  private static RgbImage coordinateImage() {
    int w = 10;
    int h = 7;
    byte[] rgb = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        rgb[(y * w + x) * 3] = (byte) x;
        rgb[(y * w + x) * 3 + 1] = (byte) y;
        rgb[(y * w + x) * 3 + 2] = (byte) (100 + x + 10 * y);
      }
    }
    return RgbImage.of(w, h, rgb);
  }

  @Test
  void tilesHoldTheExactPixelsOfTheirGridCellAndDropTheRemainder() {
    RgbImage image = coordinateImage();
    List<RgbImage> views = GridViews.views(image, 3);
    assertEquals(10, views.size());
    assertSame(image, views.get(0));
    // 10 div 3 = 3 columns per tile, 7 div 3 = 2 rows per tile; column 9 and row 6 are dropped
    for (int gy = 0; gy < 3; gy++) {
      for (int gx = 0; gx < 3; gx++) {
        RgbImage tile = views.get(1 + gy * 3 + gx);
        assertEquals(3, tile.width());
        assertEquals(2, tile.height());
        for (int j = 0; j < 2; j++) {
          for (int i = 0; i < 3; i++) {
            int x = gx * 3 + i;
            int y = gy * 2 + j;
            assertEquals(x, tile.channel(i, j, 0), "red of tile " + gy + "," + gx);
            assertEquals(y, tile.channel(i, j, 1), "green of tile " + gy + "," + gx);
            assertEquals(100 + x + 10 * y, tile.channel(i, j, 2), "blue of tile " + gy + "," + gx);
          }
        }
      }
    }
  }

  @Test
  void bottomRightTileOfATwoByTwoGridStartsAtTheMiddle() {
    RgbImage tile = GridViews.tile(coordinateImage(), 2, 1, 1);
    assertEquals(5, tile.width());
    assertEquals(3, tile.height());
    assertEquals(5, tile.channel(0, 0, 0));
    assertEquals(3, tile.channel(0, 0, 1));
    assertEquals(9, tile.channel(4, 2, 0));
    assertEquals(5, tile.channel(4, 2, 1));
  }

  @Test
  void viewIndexIsOnePlusRowTimesGridPlusColumn() {
    assertEquals(1, GridViews.viewIndex(3, 0, 0));
    assertEquals(3, GridViews.viewIndex(3, 0, 2));
    assertEquals(4, GridViews.viewIndex(3, 1, 0));
    assertEquals(9, GridViews.viewIndex(3, 2, 2));
    assertEquals(5, GridViews.viewCount(2));
  }

  @Test
  void rejectsGridsLargerThanTheImageOrBelowOne() {
    RgbImage image = coordinateImage();
    assertThrows(IllegalArgumentException.class, () -> GridViews.views(image, 0));
    assertThrows(IllegalArgumentException.class, () -> GridViews.views(image, 8));
    assertThrows(IllegalArgumentException.class, () -> GridViews.tile(image, 2, 2, 0));
  }
}
