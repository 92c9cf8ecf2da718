package org.aevlp.labeler.vlm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptionSetTest {

  @Test
  void readsEveryCaptionedImageOfACaptionsOnlyDirectory() throws IOException {
    CaptionSet set = CaptionSet.read(SyntheticFixture.captionsOnly());
    assertEquals(SyntheticFixture.CAPTIONS, set.size());
    assertEquals(
        List.of("circle", "square", "triangle", "star", "cross", "ring", "diamond", "heart", "arrow",
            "crescent"),
        set.classNames().stream().sorted(CaptionSetTest::byShapeOrder).toList());
    assertEquals(10, set.colourNames().size());
    for (CaptionedImage image : set.images()) {
      assertEquals(64, image.image().width());
      assertTrue(image.objects().size() >= 1 && image.objects().size() <= 4);
    }
    assertEquals(set.contentHash(), CaptionSet.contentHash(SyntheticFixture.captionsOnly()));
  }

  @Test
  void storedCaptionsAreTheComposersCaptionsWithOrWithoutColour() throws IOException {
    CaptionSet set = CaptionSet.read(SyntheticFixture.captionsOnly());
    int withColour = 0;
    for (CaptionedImage image : set.images()) {
      String coloured = CaptionComposer.compose(image.objects(), true);
      String plain = CaptionComposer.compose(image.objects(), false);
      assertTrue(
          image.caption().equals(coloured) || image.caption().equals(plain),
          image.caption() + " is neither " + coloured + " nor " + plain);
      withColour += image.caption().equals(coloured) ? 1 : 0;
    }
    assertTrue(withColour > 250 && withColour < 450, "captions with colour: " + withColour);
  }

  @Test
  void hashChangesWhenAnImageChanges(@TempDir Path temp) throws IOException {
    Path copy = temp.resolve("captions");
    SyntheticFixture.copyTree(SyntheticFixture.captionsOnly(), copy);
    String before = CaptionSet.contentHash(copy);
    Path first = copy.resolve("images").resolve("000000.png");
    Files.copy(copy.resolve("images").resolve("000001.png"), first, StandardCopyOption.REPLACE_EXISTING);
    assertNotEquals(before, CaptionSet.contentHash(copy));
  }

  @Test
  void errorsNameTheFileAndLine(@TempDir Path temp) throws IOException {
    Path captions = temp.resolve("captions");
    Files.createDirectories(captions);
    IOException missing = assertThrows(IOException.class, () -> CaptionSet.read(captions));
    assertTrue(missing.getMessage().contains("captions.jsonl"), missing.getMessage());

    Files.writeString(
        captions.resolve("captions.jsonl"),
        "{\"path\": \"captions/images/a.png\", \"caption\": \"a photo of a ring.\", \"objects\": "
            + "[{\"class\": \"ring\", \"colour\": \"red\", \"cx\": 0.5, \"cy\": 0.5, \"size\": 0.3}]}\n"
            + "{\"path\": \"captions/images/b.png\", \"caption\": \"x\", \"objects\": []}\n",
        StandardCharsets.UTF_8);
    IOException malformed = assertThrows(IOException.class, () -> CaptionSet.read(captions));
    assertTrue(malformed.getMessage().contains("line 2") && malformed.getMessage().contains("objects"),
        malformed.getMessage());

    Files.writeString(
        captions.resolve("captions.jsonl"),
        "{\"path\": \"captions/images/a.png\", \"caption\": \"a photo of a ring.\", \"objects\": "
            + "[{\"class\": \"ring\", \"colour\": \"red\", \"cx\": 1.5, \"cy\": 0.5, \"size\": 0.3}]}\n",
        StandardCharsets.UTF_8);
    IOException outside = assertThrows(IOException.class, () -> CaptionSet.read(captions));
    assertTrue(outside.getMessage().contains("line 1") && outside.getMessage().contains("cx"),
        outside.getMessage());
  }

  private static int byShapeOrder(String a, String b) {
    List<String> order =
        List.of("circle", "square", "triangle", "star", "cross", "ring", "diamond", "heart", "arrow",
            "crescent");
    return Integer.compare(order.indexOf(a), order.indexOf(b));
  }
}
