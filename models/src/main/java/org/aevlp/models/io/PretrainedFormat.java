package org.aevlp.models.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** What kind of file an experiment's {@code pretrained_path} points to. */
public enum PretrainedFormat {
  /** A backbone file written by {@link BackboneWeights#save}; loaded into a DJL backbone. */
  AEVLP_BACKBONE,
  /** A TorchScript module (a zip archive); loaded by {@link TorchScriptBackbone}. */
  TORCHSCRIPT;

  private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

  /**
   * Detects the format from the file's first bytes.
   *
   * @throws IllegalArgumentException naming {@code pretrained_path} if the file is neither
   */
  public static PretrainedFormat of(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("pretrained_path: no such file " + file);
    }
    if (BackboneWeights.isBackboneFile(file)) {
      return AEVLP_BACKBONE;
    }
    byte[] head;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      head = in.readNBytes(ZIP_MAGIC.length);
    }
    if (Arrays.equals(head, ZIP_MAGIC)) {
      return TORCHSCRIPT;
    }
    throw new IllegalArgumentException(
        "pretrained_path: "
            + file
            + " is neither an aevlp backbone file nor a TorchScript module (zip archive)");
  }
}
