package org.aevlp.labeler.vlm;

import java.util.ArrayList;
import java.util.List;
import org.aevlp.common.data.synthetic.CaptionWriter;

/**
 * Writes a caption for a list of objects in the style of the synthetic captions and of the zero-shot
 * prompt ({@code "a photo of a {class}."}): {@code "a photo of a red circle, a blue star and an
 * orange ring."}, or without colours {@code "a photo of a circle, a star and a ring."}. Objects keep
 * their order. Pretraining builds the caption of every view with it, so a crop's caption names only
 * the objects inside the crop.
 */
public final class CaptionComposer {

  private CaptionComposer() {}

  /**
   * The caption of {@code objects}, which must not be empty.
   *
   * @param withColour put each object's colour word before its class word
   */
  public static String compose(List<CaptionedObject> objects, boolean withColour) {
    List<String> words = new ArrayList<>(objects.size());
    for (CaptionedObject object : objects) {
      words.add(withColour ? object.colour() + " " + object.className() : object.className());
    }
    return CaptionWriter.sentence(words);
  }
}
