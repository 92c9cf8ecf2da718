package org.aevlp.common.data.synthetic;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes the caption of a synthetic image in the prompt style the labeler uses
 * ({@code "a photo of a {class}."}, DESIGN §4): {@code "a photo of a red circle, a blue star and
 * an orange ring."}, or without colour words, {@code "a photo of a circle, a star and a ring."}.
 * Objects appear in drawing order.
 */
final class CaptionWriter {

  private CaptionWriter() {}

  static String caption(List<SceneObject> objects, boolean withColour) {
    if (objects.isEmpty()) {
      throw new IllegalArgumentException("a caption needs at least one object");
    }
    List<String> phrases = new ArrayList<>(objects.size());
    for (SceneObject object : objects) {
      String noun = object.shape().displayName();
      String words = withColour ? object.colour().displayName() + " " + noun : noun;
      phrases.add(article(words) + " " + words);
    }
    StringBuilder caption = new StringBuilder("a photo of ");
    for (int i = 0; i < phrases.size(); i++) {
      if (i > 0) {
        caption.append(i == phrases.size() - 1 ? " and " : ", ");
      }
      caption.append(phrases.get(i));
    }
    return caption.append('.').toString();
  }

  private static String article(String words) {
    return "aeiou".indexOf(words.charAt(0)) >= 0 ? "an" : "a";
  }
}
