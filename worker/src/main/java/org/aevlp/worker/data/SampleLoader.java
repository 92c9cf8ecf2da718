package org.aevlp.worker.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.aevlp.common.data.SpmlSplit;
import org.aevlp.common.image.BilinearResize;
import org.aevlp.common.image.DecodedBatch;
import org.aevlp.common.image.DecodedImage;
import org.aevlp.common.image.ImageNormalization;
import org.aevlp.common.image.ParallelImageDecoder;
import org.aevlp.common.image.RgbImage;
import org.aevlp.common.image.ViewFlips;

/**
 * Turns split indices into network input: decode (on the decoder's bounded pool), resize to the
 * network's square input, optionally flip for training, ImageNet-normalise.
 *
 * <p>The training augmentation is the reference's (resize + random horizontal flip). Its flip is
 * drawn from {@link ViewFlips} with a seed of its own, so it is reproducible from (seed, epoch,
 * index) on whichever worker loads the sample, and independent of DAMP's view flips.
 */
public final class SampleLoader {

  /** Salt that separates the training flips from DAMP's view flips drawn with the same run seed. */
  static final long TRAINING_FLIP_SALT = 0x5452414e5f464c50L;

  private final SpmlSplit split;
  private final Path imageRoot;
  private final int imageSize;
  private final ParallelImageDecoder decoder;

  public SampleLoader(SpmlSplit split, Path imageRoot, int imageSize, ParallelImageDecoder decoder) {
    if (imageSize < 1) {
      throw new IllegalArgumentException("image_size: must be >= 1, got " + imageSize);
    }
    this.split = split;
    this.imageRoot = imageRoot;
    this.imageSize = imageSize;
    this.decoder = decoder;
  }

  public int size() {
    return split.size();
  }

  public SpmlSplit split() {
    return split;
  }

  /** Loads samples for evaluation: no augmentation. */
  public LoadedSamples load(int[] indices) throws InterruptedException {
    return load(indices, null, 0);
  }

  /** Loads samples for training in {@code epoch}, flipped per the run's {@code seed}. */
  public LoadedSamples loadForTraining(int[] indices, long seed, int epoch) throws InterruptedException {
    return load(indices, new ViewFlips(seed ^ TRAINING_FLIP_SALT), epoch);
  }

  private LoadedSamples load(int[] indices, ViewFlips flips, int epoch) throws InterruptedException {
    List<Path> paths = new ArrayList<>(indices.length);
    for (int index : indices) {
      if (index < 0 || index >= split.size()) {
        throw new IndexOutOfBoundsException("sample index " + index + " outside the split of " + split.size());
      }
      paths.add(imageRoot.resolve(split.imagePaths().get(index)));
    }
    DecodedBatch batch = decoder.decode(paths, image -> BilinearResize.toSquare(image, imageSize));
    int kept = batch.images().size();
    int[] keptIndices = new int[kept];
    int perImage = 3 * imageSize * imageSize;
    float[] images = new float[kept * perImage];
    for (int k = 0; k < kept; k++) {
      DecodedImage decoded = batch.images().get(k);
      int index = indices[decoded.index()];
      keptIndices[k] = index;
      RgbImage image = decoded.image();
      if (flips != null && flips.isFlipped(epoch, index, 0)) {
        image = image.flipHorizontal();
      }
      float[] chw = ImageNormalization.IMAGENET.toTensor(image).values();
      System.arraycopy(chw, 0, images, k * perImage, perImage);
    }
    return new LoadedSamples(keptIndices, imageSize, images, split.observed().selectRows(keptIndices),
        split.labels().selectRows(keptIndices), batch.skipped());
  }
}
