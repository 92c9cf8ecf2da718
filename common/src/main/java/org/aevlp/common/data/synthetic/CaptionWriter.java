package org.aevlp.common.data.synthetic;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes the caption of a synthetic image in the prompt style the labeler uses
 * ({@code "a photo of a {class}."}, DESIGN §4): {@code "a photo of a red circle, a blue star and
 * an orange ring."}, or without colour words, {@code "a photo of a circle, a star and a ring."}.
 * Objects appear in drawing order.
 */
public final class CaptionWriter {

  private CaptionWriter() {}

  static String caption(List<SceneObject> objects, boolean withColour) {
    List<String> words = new ArrayList<>(objects.size());
    for (SceneObject object : objects) {
      String noun = object.shape().displayName();
      words.add(withColour ? object.colour().displayName() + " " + noun : noun);
    }
    return sentence(words);
  }

  /**
   * The caption sentence for objects named by their words ("red circle", "star"): "a photo of a red
   * circle and a star." — the one grammar shared by the generated captions and the pretraining
   * views' captions.
   */
  public static String sentence(List<String> objectWords) {
    if (objectWords.isEmpty()) {
      throw new IllegalArgumentException("objects: a caption needs at least one object");
    }
    StringBuilder caption = new StringBuilder("a photo of ");
    for (int i = 0; i < objectWords.size(); i++) {
      if (i > 0) {
        caption.append(i == objectWords.size() - 1 ? " and " : ", ");
      }
      String words = objectWords.get(i);
      caption.append("aeiou".indexOf(words.charAt(0)) >= 0 ? "an " : "a ").append(words);
    }
    return caption.append('.').toString();
  }
}
