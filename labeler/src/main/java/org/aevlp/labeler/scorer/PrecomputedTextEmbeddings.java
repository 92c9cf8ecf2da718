package org.aevlp.labeler.scorer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.aevlp.common.npy.NpyArray;
import org.aevlp.common.npy.NpyDtype;
import org.aevlp.common.npy.NpyReader;

/**
 * Prompt embeddings computed once, outside the JVM: a C×D float32 or float64 {@code .npy} matrix
 * whose row i embeds line i of a UTF-8 prompts file. Rows are scaled to unit norm when read. Only
 * the listed prompts can be embedded, matched exactly (case and punctuation count); any other
 * prompt is an error naming it, since there is no text encoder to compute it.
 */
final class PrecomputedTextEmbeddings implements TextEmbeddingSource {

  private final Path promptsFile;
  private final Map<String, float[]> rowsByPrompt;
  private final int dimension;

  private PrecomputedTextEmbeddings(Path promptsFile, Map<String, float[]> rowsByPrompt, int dimension) {
    this.promptsFile = promptsFile;
    this.rowsByPrompt = rowsByPrompt;
    this.dimension = dimension;
  }

  /**
   * Reads the matrix and its prompts.
   *
   * @throws IOException if a file cannot be read, the matrix is not C×D float or has a zero row,
   *     a prompt line is blank or repeated, or the line count differs from C
   */
  static PrecomputedTextEmbeddings read(Path embeddingsFile, Path promptsFile) throws IOException {
    NpyArray matrix = NpyReader.read(embeddingsFile);
    if (matrix.rank() != 2 || (matrix.dtype() != NpyDtype.FLOAT32 && matrix.dtype() != NpyDtype.FLOAT64)) {
      throw new IOException(
          embeddingsFile + ": text embeddings must be a C×D float32 or float64 matrix, got "
              + matrix.descr() + " of shape " + matrix.shape());
    }
    List<String> prompts = Files.readAllLines(promptsFile, StandardCharsets.UTF_8);
    if (prompts.size() != matrix.rows()) {
      throw new IOException(
          promptsFile + ": has " + prompts.size() + " prompt lines but " + embeddingsFile.getFileName()
              + " has " + matrix.rows() + " rows; line i must name row i");
    }
    float[][] unit;
    try {
      unit = UnitRows.of(matrix.toDoubles(), matrix.rows(), matrix.cols(), embeddingsFile.toString());
    } catch (IllegalStateException e) {
      throw new IOException(e.getMessage(), e);
    }
    Map<String, float[]> rowsByPrompt = new HashMap<>();
    for (int i = 0; i < prompts.size(); i++) {
      String prompt = prompts.get(i);
      if (prompt.isBlank()) {
        throw new IOException(promptsFile + ": line " + (i + 1) + " is blank; every line must be a prompt");
      }
      if (rowsByPrompt.put(prompt, unit[i]) != null) {
        throw new IOException(promptsFile + ": line " + (i + 1) + " repeats the prompt \"" + prompt + "\"");
      }
    }
    return new PrecomputedTextEmbeddings(promptsFile, Map.copyOf(rowsByPrompt), matrix.cols());
  }

  @Override
  public int dimension() {
    return dimension;
  }

  /** The rows of the given prompts; each must be a line of the prompts file. */
  @Override
  public float[][] embed(List<String> prompts) {
    float[][] rows = new float[prompts.size()][];
    for (int i = 0; i < rows.length; i++) {
      float[] row = rowsByPrompt.get(prompts.get(i));
      if (row == null) {
        throw new IllegalArgumentException(
            "prompt \"" + prompts.get(i) + "\" is not in " + promptsFile + ": precomputed text embeddings "
                + "cover only its " + rowsByPrompt.size() + " prompts (export a text encoder to embed others)");
      }
      rows[i] = row.clone();
    }
    return rows;
  }

  @Override
  public void close() {
    // plain Java arrays: nothing native to release
  }
}
