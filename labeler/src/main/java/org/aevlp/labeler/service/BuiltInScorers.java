package org.aevlp.labeler.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aevlp.labeler.scorer.ClipTorchScriptConfig;
import org.aevlp.labeler.scorer.ClipTorchScriptScorer;
import org.aevlp.labeler.scorer.Scorer;
import org.aevlp.labeler.scorer.TinyVlmScorer;
import org.aevlp.labeler.vlm.PretrainedVlm;

/**
 * The scorers this project ships: the pretrained built-in tiny VLM (from the cache directory that
 * {@code aevlp labeler pretrain} writes) and an exported CLIP (docs/CLIP.md). Both load from local
 * files only.
 */
public final class BuiltInScorers implements ScorerFactory {

  @Override
  public Scorer create(ScorerChoice choice) throws IOException {
    return switch (choice.name()) {
      case TinyVlmScorer.NAME -> tinyVlm(choice);
      case ClipTorchScriptScorer.NAME -> ClipTorchScriptScorer.load(ClipTorchScriptConfig.of(choice.clipDir()
          .orElseThrow(() -> new IllegalArgumentException("--clip-dir: needed for --scorer clip-torchscript"))));
      default -> throw new IllegalArgumentException(
          "--scorer: unknown scorer \"" + choice.name() + "\"; known: " + String.join(", ", ScorerChoice.KNOWN));
    };
  }

  private static Scorer tinyVlm(ScorerChoice choice) throws IOException {
    Path dir = choice.vlmDir()
        .orElseThrow(() -> new UnsupportedOperationException("no pretrained tiny VLM given (--vlm-dir)"));
    if (!Files.isRegularFile(dir.resolve(PretrainedVlm.DESCRIPTION_FILE))) {
      throw new UnsupportedOperationException("no pretrained tiny VLM in " + dir
          + " (make one with `aevlp labeler pretrain --out " + dir + "`)");
    }
    return TinyVlmScorer.load(dir);
  }
}
