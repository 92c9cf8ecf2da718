package org.aevlp.labeler.vlm;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aevlp.models.vlm.TextTower;
import org.aevlp.models.vlm.TinyVlm;

/**
 * Saves and loads the tiny VLM's text tower. Format: {@code writeUTF("aevlp-text-tower")}, {@code
 * writeInt(1)} (format version), {@code writeInt(vocabularySize)}, then DJL's {@link
 * TextTower#saveParameters} stream.
 */
final class TextTowerWeights {

  static final String MAGIC = "aevlp-text-tower";
  private static final int FORMAT_VERSION = 1;

  private TextTowerWeights() {}

  static void save(Path file, TextTower tower) throws IOException {
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
      out.writeUTF(MAGIC);
      out.writeInt(FORMAT_VERSION);
      out.writeInt(tower.vocabularySize());
      tower.saveParameters(out);
    }
  }

  /**
   * Replaces the parameters of {@code target}, a freshly created tower nobody else holds yet, with
   * those in {@code file}.
   *
   * @throws IOException if the file is unreadable, of another format or of another vocabulary size
   */
  static void load(Path file, TextTower target, NDManager manager) throws IOException {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      String magic = in.readUTF();
      if (!MAGIC.equals(magic)) {
        throw new IOException(file + ": not a text tower file (no '" + MAGIC + "' header)");
      }
      int version = in.readInt();
      if (version != FORMAT_VERSION) {
        throw new IOException(
            file + ": text tower format version " + version + ", this build reads "
                + FORMAT_VERSION);
      }
      int vocabularySize = in.readInt();
      if (vocabularySize != target.vocabularySize()) {
        throw new IOException(
            file + ": text tower of " + vocabularySize + " tokens, the vocabulary has "
                + target.vocabularySize());
      }
      target.loadParameters(manager, in);
    } catch (MalformedModelException | IllegalArgumentException e) {
      throw new IOException(file + ": malformed text tower parameters: " + e.getMessage(), e);
    }
    Shape expected = new Shape(target.vocabularySize(), TinyVlm.EMBEDDING_DIM);
    Shape actual = target.getParameters().get("embedding").getArray().getShape();
    if (!expected.equals(actual)) {
      throw new IOException(file + ": embedding table is " + actual + ", expected " + expected);
    }
  }
}
