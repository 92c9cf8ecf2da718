package org.aevlp.models.vlm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a caption into tokens: the text is lower-cased; maximal runs of letters and digits are
 * words; every other non-space character (punctuation, hyphen, underscore, symbol) is a token of
 * its own; white space separates and is dropped.
 *
 * <p>{@code "A photo of a Hot-Dog."} → {@code [a, photo, of, a, hot, -, dog, .]}
 */
public final class CaptionTokenizer {

  private CaptionTokenizer() {}

  /** The tokens of {@code caption}, in order. */
  public static List<String> tokenize(String caption) {
    if (caption == null) {
      throw new IllegalArgumentException("caption: must not be null");
    }
    String text = caption.toLowerCase(Locale.ROOT);
    List<String> tokens = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isLetterOrDigit(cp)) {
        word.appendCodePoint(cp);
        continue;
      }
      flush(word, tokens);
      if (!Character.isWhitespace(cp) && !Character.isSpaceChar(cp)) {
        tokens.add(new String(Character.toChars(cp)));
      }
    }
    flush(word, tokens);
    return tokens;
  }

  private static void flush(StringBuilder word, List<String> tokens) {
    if (word.length() > 0) {
      tokens.add(word.toString());
      word.setLength(0);
    }
  }
}
