package org.aevlp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.aevlp.common.catalog.DatasetCatalog;
import org.aevlp.common.catalog.DatasetInfo;
import org.aevlp.common.npy.NpyWriter;
import org.aevlp.labeler.scorer.Scorer;
import org.aevlp.labeler.service.BuiltInScorers;
import org.aevlp.labeler.service.ScorerChoice;
import org.aevlp.labeler.service.ScorerFactory;
import org.aevlp.labeler.text.TextRelation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code aevlp dataset relation}: writes a label-relation matrix for a dataset that ships none,
 * from its class names and a scorer's text tower ({@link TextRelation}).
 */
@Command(
    name = "relation",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Write a label-relation matrix (C x C float32 .npy) for the GCN text refinement of DAMP "
          + "(use_refinement): entry (i, j) is the cosine similarity of the scorer's text embeddings of "
          + "\"a photo of a {class i}.\" and \"a photo of a {class j}.\", the kind of matrix the reference "
          + "ships for VOC, COCO, NUS-WIDE and CUB. Reads no labels.",
      "Use it with the spec field relation (embedded runs) or `aevlp labeler --relation`."
    })
final class DatasetRelationCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "Dataset directory (the default place of the tiny VLM and of the output).")
  Path dataDir;

  @Option(names = "--dataset", paramLabel = "ID", description = "Dataset id whose class names are used (default: ${DEFAULT-VALUE}).")
  String dataset = "synthetic";

  @Option(names = "--scorer", paramLabel = "NAME", description = "tiny-vlm or clip-torchscript (default: ${DEFAULT-VALUE}).")
  String scorer = "tiny-vlm";

  @Option(names = "--vlm-dir", paramLabel = "DIR", description = "Pretrained tiny VLM (default: DATA_DIR/tiny-vlm).")
  Path vlmDir;

  @Option(names = "--clip-dir", paramLabel = "DIR", description = "Exported CLIP encoders (for --scorer clip-torchscript).")
  Path clipDir;

  @Option(names = "--out", paramLabel = "FILE", description = "Where to write the matrix (default: DATA_DIR/relation.npy).")
  Path out;

  private final ScorerFactory scorers;

  DatasetRelationCommand() {
    this(new BuiltInScorers());
  }

  DatasetRelationCommand(ScorerFactory scorers) {
    this.scorers = scorers;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    DatasetInfo info;
    try {
      info = DatasetCatalog.builtIn().get(dataset);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--dataset: " + e.getMessage());
    }
    Path vlm = vlmDir != null ? vlmDir : dataDir.resolve("tiny-vlm");
    if (scorer.equals("tiny-vlm") && !Files.isDirectory(vlm)) {
      throw new ParameterException(spec.commandLine(), (vlmDir != null ? "--vlm-dir" : "--data-dir") + ": no tiny VLM in "
          + vlm + " (pretrain one with `aevlp labeler pretrain`, or run `aevlp demo`/`compare`, which make it)");
    }
    Path target = out != null ? out : dataDir.resolve("relation.npy");
    List<String> classes = info.classNames();
    float[][] relation;
    try (Scorer built = scorers.create(new ScorerChoice(scorer, Optional.of(vlm), Optional.ofNullable(clipDir),
        classes))) {
      relation = TextRelation.of(built, classes);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--scorer: " + e.getMessage());
    } catch (UnsupportedOperationException | IOException e) {
      err.println("aevlp dataset relation: cannot load scorer " + scorer + ": " + e.getMessage());
      return 1;
    }
    int n = relation.length;
    float[] rowMajor = new float[n * n];
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      System.arraycopy(relation[i], 0, rowMajor, i * n, n);
      for (int j = 0; j < n; j++) {
        if (i != j) {
          min = Math.min(min, relation[i][j]);
          max = Math.max(max, relation[i][j]);
          sum += relation[i][j];
        }
      }
    }
    try {
      NpyWriter.writeFloat32(target, rowMajor, n, n);
    } catch (IOException e) {
      err.println("aevlp dataset relation: cannot write " + target + " (--out): " + e.getMessage());
      return 1;
    }
    PrintWriter o = spec.commandLine().getOut();
    o.printf(Locale.ROOT, "Relation matrix of %s (%d classes, scorer %s) in %s%n", dataset, n, scorer, target);
    if (n > 1) {
      o.printf(Locale.ROOT, "  off-diagonal cosine similarity: min %.3f, mean %.3f, max %.3f%n", min,
          sum / (n * (n - 1.0)), max);
    }
    o.flush();
    return 0;
  }
}
