package org.aevlp.labeler.text;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.aevlp.common.catalog.DatasetInfo;
import org.aevlp.common.npy.NpyArray;
import org.aevlp.common.npy.NpyReader;

/**
 * The label-relation matrices shipped with the labeler (the reference's {@code relation+voc.npy},
 * {@code relation+coco.npy}, {@code relation+nuswide.npy}, {@code relation+cub.npy}: C×C float32
 * label similarities, diagonal ≈ 1) under the class-path folder {@value #ROOT}, and the GCN
 * adjacency each one gives with its dataset's {@code sparse_topk} and {@code reweight_p}.
 */
public final class RelationMatrices {

  /** Class-path folder of the matrices. */
  public static final String ROOT = "/org/aevlp/labeler/relation/";

  private RelationMatrices() {}

  /**
   * The adjacency from {@code relationFile} (a C×C .npy, e.g. written by {@code aevlp dataset
   * relation}) when given, else from the dataset's shipped matrix; empty when there is neither (the
   * synthetic dataset ships none).
   */
  public static Optional<RelationAdjacency> adjacencyFor(DatasetInfo dataset, Optional<Path> relationFile)
      throws IOException {
    double[][] relation;
    String name;
    if (relationFile.isPresent()) {
      name = relationFile.get().toString();
      relation = square(NpyReader.read(relationFile.get()), name);
    } else if (dataset.relationFile().isPresent()) {
      name = dataset.relationFile().get();
      relation = load(name);
    } else {
      return Optional.empty();
    }
    if (relation.length != dataset.numClasses()) {
      throw new IOException("relation matrix " + name + " is " + relation.length + "x" + relation.length
          + " but dataset " + dataset.id() + " has " + dataset.numClasses() + " classes");
    }
    return Optional.of(RelationAdjacency.fromRelation(relation, dataset.sparseTopk(), dataset.reweightP()));
  }

  /**
   * Reads a shipped matrix, widened to double (exact for float32).
   *
   * @param relationFile the matrix's name as the dataset catalog gives it ({@code
   *     relation/relation+voc.npy}); only the file name is used
   */
  public static double[][] load(String relationFile) throws IOException {
    String fileName = Path.of(relationFile).getFileName().toString();
    // NpyReader reads files, and a class-path resource may sit inside a jar: copy it out first.
    Path temporary = Files.createTempFile("aevlp-relation-", ".npy");
    try (InputStream in = RelationMatrices.class.getResourceAsStream(ROOT + fileName)) {
      if (in == null) {
        throw new IOException("relation matrix " + fileName + " is not on the class path under " + ROOT);
      }
      Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
      return square(NpyReader.read(temporary), fileName);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static double[][] square(NpyArray array, String name) throws IOException {
    if (array.rank() != 2 || array.rows() != array.cols()) {
      throw new IOException("relation matrix " + name + " must be square, its shape is " + array.shape());
    }
    return array.toDoubleMatrix();
  }
}
