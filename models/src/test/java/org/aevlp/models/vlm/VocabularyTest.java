package org.aevlp.models.vlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class VocabularyTest {

  private static final Vocabulary VOCABULARY =
      Vocabulary.forPrompts(List.of("circle", "hot dog", "circle"), List.of("red", "light blue"));

  @Test
  void promptVocabularyHoldsSpecialsPromptClassAndColourWordsOnce() {
    assertEquals(
        List.of("<pad>", "<unk>", "a", "photo", "of", ".", "circle", "hot", "dog", "red", "light",
            "blue"),
        VOCABULARY.tokens());
  }

  @Test
  void unknownWordsMapToTheUnknownId() {
    assertArrayEquals(
        new int[] {2, 3, 4, 2, 9, 6, 5}, VOCABULARY.encode("A photo of a red circle."));
    assertArrayEquals(new int[] {2, Vocabulary.UNKNOWN_ID, 6}, VOCABULARY.encode("a green circle"));
    assertEquals(Vocabulary.PAD_ID, VOCABULARY.id("<pad>"));
  }

  @Test
  void batchIsRightPaddedWithThePadId() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray ids = VOCABULARY.encodeBatch(List.of("red circle", "a photo of a hot dog"), manager);
      assertEquals(new Shape(2, 6), ids.getShape());
      assertEquals(DataType.INT64, ids.getDataType());
      assertArrayEquals(
          new long[] {9, 6, 0, 0, 0, 0, 2, 3, 4, 2, 7, 8}, ids.toLongArray());
    }
  }

  @Test
  void tokenListRestoresTheVocabulary() {
    assertEquals(VOCABULARY, Vocabulary.of(VOCABULARY.tokens()));
    assertThrows(IllegalArgumentException.class, () -> Vocabulary.of(List.of("a", "b")));
    assertThrows(
        IllegalArgumentException.class, () -> Vocabulary.of(List.of("<pad>", "<unk>", "a", "a")));
  }

  @Test
  void promptFollowsTheReferenceTemplate() {
    assertEquals("a photo of a dining table.", ClassPrompt.forClass("dining table"));
  }
}
