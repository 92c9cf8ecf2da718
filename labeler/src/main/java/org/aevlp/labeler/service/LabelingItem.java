package org.aevlp.labeler.service;

import java.util.Objects;
import org.aevlp.common.image.RgbImage;

/** One image to pseudo-label: a row of a served dataset, or an image sent with the request. */
public sealed interface LabelingItem permits LabelingItem.DatasetSample, LabelingItem.InlineImage {

  /** The value echoed as the result row's index. */
  long key();

  /** The sample index its view flips are drawn for. */
  int flipIndex();

  /** Observed labels, one 0/1 entry per class with exactly one 1 (a copy). */
  int[] observed();

  /**
   * Row {@code index} of the dataset's training phase.
   *
   * @param observed one 0/1 entry per class, exactly one 1
   */
  record DatasetSample(int index, int[] observed) implements LabelingItem {

    public DatasetSample {
      observed = observed.clone();
    }

    @Override
    public long key() {
      return index;
    }

    @Override
    public int flipIndex() {
      return index;
    }

    @Override
    public int[] observed() {
      return observed.clone();
    }
  }

  /**
   * An image sent by the caller, decoded.
   *
   * @param imageKey the caller's key, also the flip index
   * @param image the decoded image
   * @param contentHash hex SHA-256 of the encoded bytes: the cache key of its views
   * @param observed one 0/1 entry per class, exactly one 1
   */
  record InlineImage(int imageKey, RgbImage image, String contentHash, int[] observed) implements LabelingItem {

    public InlineImage {
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(contentHash, "contentHash");
      observed = observed.clone();
    }

    @Override
    public long key() {
      return imageKey;
    }

    @Override
    public int flipIndex() {
      return imageKey;
    }

    @Override
    public int[] observed() {
      return observed.clone();
    }
  }
}
