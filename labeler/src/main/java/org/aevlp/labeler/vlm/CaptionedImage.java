package org.aevlp.labeler.vlm;

import java.util.List;
import org.aevlp.common.image.RgbImage;

/**
 * One captioned pretraining image with its objects.
 *
 * @param path the image path as {@code captions.jsonl} gives it (relative to the dataset root)
 * @param caption the caption stored with the image
 * @param objects the objects in drawing order, at least one
 * @param image the decoded pixels
 */
public record CaptionedImage(String path, String caption, List<CaptionedObject> objects, RgbImage image) {

  public CaptionedImage {
    objects = List.copyOf(objects);
    if (objects.isEmpty()) {
      throw new IllegalArgumentException("objects: captioned image " + path + " lists no object");
    }
  }
}
