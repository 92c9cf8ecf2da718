package org.aevlp.models.vlm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CaptionTokenizerTest {

  @Test
  void lowerCasesWordsAndSplitsPunctuation() {
    assertEquals(
        List.of("a", "photo", "of", "a", "hot", "-", "dog", "."),
        CaptionTokenizer.tokenize("A photo of a Hot-Dog."));
  }

  @Test
  void everyPunctuationMarkIsItsOwnToken() {
    assertEquals(
        List.of("red", ",", "blue", "_", "star", "!", "?", "3", "circles"),
        CaptionTokenizer.tokenize("  Red,blue_star!?\t3 circles "));
  }

  @Test
  void blankCaptionHasNoTokens() {
    assertEquals(List.of(), CaptionTokenizer.tokenize(" \n "));
    assertThrows(IllegalArgumentException.class, () -> CaptionTokenizer.tokenize(null));
  }
}
