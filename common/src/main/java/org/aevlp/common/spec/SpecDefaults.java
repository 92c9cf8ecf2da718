package org.aevlp.common.spec;

import static org.aevlp.common.spec.SpecVocabulary.ADAM;
import static org.aevlp.common.spec.SpecVocabulary.AN_LOSS;
import static org.aevlp.common.spec.SpecVocabulary.CLEAN;
import static org.aevlp.common.spec.SpecVocabulary.CLIP_TORCHSCRIPT;
import static org.aevlp.common.spec.SpecVocabulary.FULL_LOSS;
import static org.aevlp.common.spec.SpecVocabulary.GPR_LOSS;
import static org.aevlp.common.spec.SpecVocabulary.OBSERVED;
import static org.aevlp.common.spec.SpecVocabulary.SYNTHETIC;
import static org.aevlp.common.spec.SpecVocabulary.TINY_VLM;

import java.util.List;
import java.util.Optional;
import org.aevlp.common.catalog.DatasetCatalog;
import org.aevlp.common.catalog.DatasetInfo;
import org.aevlp.proto.v1.ExperimentSpec;

/**
 * Fills the fields a spec leaves unset; fields that are set are never changed.
 *
 * <ul>
 *   <li>From the dataset's constants ({@link DatasetCatalog}): num_classes, top_k,
 *       expected_num_pos, sparse_topk, reweight_p, T. A dataset without constants ("manifest")
 *       gets sparse_topk = num_classes (when num_classes is given), reweight_p 0.2 (every
 *       reference dataset's value) and T 0.3; its num_classes, top_k and expected_num_pos must be
 *       given by the spec.
 *   <li>The reference implementation's defaults (its config.py): seed 1200, split_seed 1200,
 *       ss_seed 999, ss_frac_train/val 1.0, val_frac 0.2, variants observed/clean, arch resnet50,
 *       use_pretrained true, num_epochs 8, bsize 8, lr 1e-5, lr_mult 10, optimizer adam,
 *       linear_init 0, beta [0, 2, -2, -2], alpha [0.5, 2, 0.8, 0.5], q2q3 [0.01, 1],
 *       lam [0.8, 0.3], rho 0.9, reg 0.001, temp 0.01, eta 0.1, threshold 0.5, grid_size 4,
 *       negative_ratio 0.1, clip_model ViT-B/16 and clip_weight openai (for the CLIP scorer).
 *       The reference's default loss "gr_loss" is a typo it cannot run; the default here is
 *       gpr_loss.
 *   <li>lam_1 = lam[0] and lam_2 = lam[1], as the reference derives them.
 *   <li>use_pl: false for an_loss (the reference forces it: an_loss ignores pseudo-labels) and for
 *       full_loss (trains on complete labels), true otherwise. full_loss also defaults
 *       train_set_variant to clean.
 *   <li>Project defaults: name "&lt;dataset&gt;-&lt;loss&gt;"; arch tiny-vlm and scorer tiny-vlm
 *       for synthetic data, scorer clip-torchscript otherwise; image_size 64 for synthetic data
 *       or the tiny-vlm backbone, 448 otherwise (the reference's ResNet input); no
 *       freezing, refinement or feature training; DAMP negatives written as 0
 *       (negative_pseudo_labels false, the reference code); the cluster fields bsize global
 *       (per_worker_bsize false, scale_lr false), sync_every 1, max_workers 0 (all),
 *       checkpoint_every_steps 0 (epochs only), early_stop true; damp_local_views true (DAMP as
 *       the method defines it, global and local views).
 * </ul>
 */
public final class SpecDefaults {

  private final DatasetCatalog catalog;

  public SpecDefaults(DatasetCatalog catalog) {
    this.catalog = catalog;
  }

  /** The spec with every unset field that has a default filled in. */
  public ExperimentSpec apply(ExperimentSpec spec) {
    ExperimentSpec.Builder b = spec.toBuilder();
    fillData(b);
    fillModel(b);
    fillOptimisation(b);
    fillLoss(b);
    fillPseudoLabels(b);
    fillCluster(b);
    if (b.getName().isEmpty()) {
      b.setName(b.getDataset() + "-" + b.getLoss());
    }
    return b.build();
  }

  private void fillData(ExperimentSpec.Builder b) {
    Optional<DatasetInfo> dataset = catalog.find(b.getDataset());
    if (dataset.isPresent()) {
      DatasetInfo d = dataset.get();
      if (!b.hasNumClasses()) {
        b.setNumClasses(d.numClasses());
      }
      if (!b.hasTopK()) {
        b.setTopK(d.topK());
      }
      if (!b.hasExpectedNumPos()) {
        b.setExpectedNumPos(d.expectedNumPos());
      }
      if (!b.hasSparseTopk()) {
        b.setSparseTopk(d.sparseTopk());
      }
      if (!b.hasReweightP()) {
        b.setReweightP(d.reweightP());
      }
      if (!b.hasT()) {
        b.setT(d.relationTemperature());
      }
    } else if (b.hasNumClasses() && !b.hasSparseTopk()) {
      // Without dataset constants keep every relation: the adjacency is then the full matrix.
      b.setSparseTopk(b.getNumClasses());
    }
    if (!b.hasReweightP()) {
      b.setReweightP(0.2);
    }
    if (!b.hasT()) {
      b.setT(0.3);
    }
    if (!b.hasValFrac()) {
      b.setValFrac(0.2);
    }
    if (!b.hasSplitSeed()) {
      b.setSplitSeed(1200);
    }
    if (!b.hasSeed()) {
      b.setSeed(1200);
    }
    if (!b.hasSsSeed()) {
      b.setSsSeed(999);
    }
    if (!b.hasSsFracTrain()) {
      b.setSsFracTrain(1.0);
    }
    if (!b.hasSsFracVal()) {
      b.setSsFracVal(1.0);
    }
    if (b.getLoss().isEmpty()) {
      b.setLoss(GPR_LOSS);
    }
    if (b.getTrainSetVariant().isEmpty()) {
      b.setTrainSetVariant(b.getLoss().equals(FULL_LOSS) ? CLEAN : OBSERVED);
    }
    if (b.getValSetVariant().isEmpty()) {
      b.setValSetVariant(CLEAN);
    }
  }

  /** Cache directory of the pretrained tiny VLM inside a synthetic dataset directory. */
  static final String TINY_VLM_CACHE = "tiny-vlm";

  /** The image tower's backbone file inside that cache. */
  static final String TINY_VLM_IMAGE_TOWER = "image-tower.backbone";

  private static void fillModel(ExperimentSpec.Builder b) {
    boolean synthetic = b.getDataset().equals(SYNTHETIC);
    if (b.getArch().isEmpty()) {
      b.setArch(synthetic ? TINY_VLM : "resnet50");
    }
    if (!b.hasUsePretrained()) {
      b.setUsePretrained(true);
    }
    if (!b.hasImageSize()) {
      b.setImageSize(synthetic || b.getArch().equals(TINY_VLM) ? 64 : 448);
    }
    if (!b.hasFreezeFeatureExtractor()) {
      b.setFreezeFeatureExtractor(false);
    }
    // The built-in VLM's image tower lives where `aevlp labeler pretrain` caches it by default.
    if (b.getArch().equals(TINY_VLM) && b.getUsePretrained() && b.getPretrainedPath().isEmpty()
        && !b.getDataDir().isEmpty() && SpecPaths.whyInvalid(b.getDataDir()).isEmpty()) {
      b.setPretrainedPath(java.nio.file.Path.of(b.getDataDir(), TINY_VLM_CACHE, TINY_VLM_IMAGE_TOWER).toString());
    }
  }

  private static void fillOptimisation(ExperimentSpec.Builder b) {
    if (!b.hasNumEpochs()) {
      b.setNumEpochs(8);
    }
    if (!b.hasBsize()) {
      b.setBsize(8);
    }
    if (!b.hasLr()) {
      b.setLr(1e-5);
    }
    if (!b.hasLrMult()) {
      b.setLrMult(10);
    }
    if (b.getOptimizer().isEmpty()) {
      b.setOptimizer(ADAM);
    }
    if (!b.hasLinearInit()) {
      b.setLinearInit(0);
    }
  }

  private static void fillLoss(ExperimentSpec.Builder b) {
    if (!b.hasUsePl()) {
      b.setUsePl(!b.getLoss().equals(AN_LOSS) && !b.getLoss().equals(FULL_LOSS));
    }
    if (b.getBetaCount() == 0) {
      b.addAllBeta(List.of(0.0, 2.0, -2.0, -2.0));
    }
    if (b.getAlphaCount() == 0) {
      b.addAllAlpha(List.of(0.5, 2.0, 0.8, 0.5));
    }
    if (b.getQ2Q3Count() == 0) {
      b.addAllQ2Q3(List.of(0.01, 1.0));
    }
    if (b.getLamCount() == 0) {
      b.addAllLam(List.of(0.8, 0.3));
    }
    if (!b.hasLam1() && b.getLamCount() == 2) {
      b.setLam1(b.getLam(0));
    }
    if (!b.hasLam2() && b.getLamCount() == 2) {
      b.setLam2(b.getLam(1));
    }
    if (!b.hasRho()) {
      b.setRho(0.9);
    }
    if (!b.hasReg()) {
      b.setReg(0.001);
    }
  }

  private static void fillPseudoLabels(ExperimentSpec.Builder b) {
    if (b.getScorer().isEmpty()) {
      b.setScorer(b.getDataset().equals(SYNTHETIC) ? TINY_VLM : CLIP_TORCHSCRIPT);
    }
    if (b.getScorer().equals(CLIP_TORCHSCRIPT)) {
      if (b.getClipModel().isEmpty()) {
        b.setClipModel("ViT-B/16");
      }
      if (b.getClipWeight().isEmpty()) {
        b.setClipWeight("openai");
      }
    }
    if (!b.hasTemp()) {
      b.setTemp(0.01);
    }
    if (!b.hasEta()) {
      b.setEta(0.1);
    }
    if (!b.hasThreshold()) {
      b.setThreshold(0.5);
    }
    if (!b.hasGridSize()) {
      b.setGridSize(4);
    }
    if (!b.hasNegativeRatio()) {
      b.setNegativeRatio(0.1);
    }
    if (!b.hasNegativePseudoLabels()) {
      b.setNegativePseudoLabels(false);
    }
    if (!b.hasUseRefinement()) {
      b.setUseRefinement(false);
    }
    if (!b.hasDampLocalViews()) {
      b.setDampLocalViews(true);
    }
  }

  private static void fillCluster(ExperimentSpec.Builder b) {
    if (!b.hasPerWorkerBsize()) {
      b.setPerWorkerBsize(false);
    }
    if (!b.hasScaleLr()) {
      b.setScaleLr(false);
    }
    if (!b.hasSyncEvery()) {
      b.setSyncEvery(1);
    }
    if (!b.hasMaxWorkers()) {
      b.setMaxWorkers(0);
    }
    if (!b.hasCheckpointEverySteps()) {
      b.setCheckpointEverySteps(0);
    }
    if (!b.hasEarlyStop()) {
      b.setEarlyStop(true);
    }
    if (!b.hasUseFeats()) {
      b.setUseFeats(false);
    }
  }
}
