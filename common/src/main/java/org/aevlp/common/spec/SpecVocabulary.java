package org.aevlp.common.spec;

import java.util.List;

/** The values the spec's string fields may take (documented with each field in spec.proto). */
public final class SpecVocabulary {

  /** The project's generated dataset (DESIGN.md §5). */
  public static final String SYNTHETIC = "synthetic";
  /** People's own data described by a manifest file; it has no built-in constants. */
  public static final String MANIFEST = "manifest";

  public static final String GPR_LOSS = "gpr_loss";
  public static final String AN_LOSS = "an_loss";
  public static final String AN_PL_LOSS = "an_pl_loss";
  public static final String FULL_LOSS = "full_loss";
  public static final List<String> LOSSES = List.of(GPR_LOSS, AN_LOSS, AN_PL_LOSS, FULL_LOSS);

  public static final String TINY_VLM = "tiny-vlm";
  public static final String CLIP_TORCHSCRIPT = "clip-torchscript";
  /** Backbones the models module builds ({@code tiny-vlm} is the built-in VLM's image tower). */
  public static final List<String> ARCHS =
      List.of("resnet18", "resnet34", "resnet50", "resnet101", "resnet18-narrow", TINY_VLM);
  public static final List<String> SCORERS = List.of(TINY_VLM, CLIP_TORCHSCRIPT);

  public static final String OBSERVED = "observed";
  public static final String CLEAN = "clean";
  public static final List<String> TRAIN_SET_VARIANTS = List.of(OBSERVED, CLEAN);

  public static final String ADAM = "adam";

  private SpecVocabulary() {}
}
