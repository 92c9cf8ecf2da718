package org.aevlp.models.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aevlp.models.Architecture;
import org.aevlp.models.Network;
import org.aevlp.models.NetworkFactory;
import org.aevlp.models.NetworkSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainedFormatTest {

  @TempDir Path dir;

  @Test
  void backboneFilesAreRecognisedByTheirHeader() throws Exception {
    Path file = dir.resolve("tower.backbone");
    try (NDManager manager = NDManager.newBaseManager()) {
      Network network = NetworkFactory.build(NetworkSpec.of("tiny-vlm", 3, 32), manager, 1);
      BackboneWeights.save(file, Architecture.TINY_VLM, network.backbone());
    }
    assertEquals(PretrainedFormat.AEVLP_BACKBONE, PretrainedFormat.of(file));
  }

  @Test
  void otherFilesAreRejectedNamingTheField() throws Exception {
    Path text = Files.writeString(dir.resolve("weights.txt"), "not weights");
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> PretrainedFormat.of(text));
    assertTrue(error.getMessage().startsWith("pretrained_path:"), error.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PretrainedFormat.of(dir.resolve("none")));
  }
}
