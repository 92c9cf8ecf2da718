package org.aevlp.models.io;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aevlp.models.ClassifierBlock;
import org.aevlp.models.Network;
import org.aevlp.models.NetworkSpec;
import org.aevlp.models.SeededInitialization;
import org.aevlp.models.layers.TorchLikeLayers;

/**
 * Builds a classifier on a TorchScript feature extractor (e.g. an ImageNet-pretrained torchvision
 * ResNet-50 with {@code fc = Identity}; docs/PRETRAINED.md shows the export) plus a fresh linear
 * head.
 *
 * <p>The module is loaded through DJL's {@link Criteria} from a local file only, with {@code
 * trainParam=true} and {@code mapLocation=true} (weights land on the chosen device). TorchScript
 * modules otherwise load frozen; in DJL 0.36 the PyTorch engine's option that unfreezes them is
 * {@code trainParam} ({@code PtModel.load}); a {@code retrain} option is ignored. The feature width F is found by one inference forward of a zero image;
 * an N×F×1×1 output is flattened.
 *
 * <p>Limits: the module's BatchNorm running statistics are TorchScript buffers, not DJL parameters,
 * so they do not appear in {@link Network#runningStatistics()} and cannot be averaged across
 * replicas; a DJL backbone ({@link BackboneWeights}) has no such gap. Parameter names are the
 * module's ({@code 01backbone_layer1.0.conv1.weight}, …), in the module's registration order.
 */
public final class TorchScriptBackbone {

  private TorchScriptBackbone() {}

  /**
   * Loads {@code file} and builds a classifier around it.
   *
   * @param spec class count and input size; {@code spec.arch()} is recorded as given (a TorchScript
   *     module cannot be checked against it)
   * @param device where the module and the head live
   * @param seed engine seed for the head's initialisation
   * @throws IOException if the file cannot be read or is not a loadable TorchScript module
   */
  public static TorchScriptNetwork load(Path file, NetworkSpec spec, Device device, int seed)
      throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("pretrained_path: no such file " + file);
    }
    Criteria<NDList, NDList> criteria =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            .optModelPath(file)
            .optEngine("PyTorch")
            .optDevice(device)
            .optOption("trainParam", "true")
            .optOption("mapLocation", "true")
            .build();
    ZooModel<NDList, NDList> model;
    try {
      model = criteria.loadModel();
    } catch (ModelNotFoundException | MalformedModelException e) {
      throw new IOException("pretrained_path: cannot load TorchScript module " + file, e);
    }
    try {
      Block backbone = model.getBlock();
      NDManager manager = model.getNDManager();
      long featureDim = probeFeatureDim(backbone, manager, spec.imageSize());
      Block head = TorchLikeLayers.linear(featureDim, spec.numClasses());
      ClassifierBlock classifier = new ClassifierBlock(backbone, head, featureDim);
      Shape input = new Shape(1, 3, spec.imageSize(), spec.imageSize());
      SeededInitialization.run(
          seed, () -> classifier.initialize(manager, DataType.FLOAT32, input));
      model.setBlock(classifier);
      return new TorchScriptNetwork(
          model, new Network(spec, classifier, backbone, head, featureDim));
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  private static long probeFeatureDim(Block backbone, NDManager manager, int imageSize) {
    try (NDManager probe = manager.newSubManager()) {
      NDArray image = probe.zeros(new Shape(1, 3, imageSize, imageSize));
      NDArray features =
          backbone.forward(new ParameterStore(probe, false), new NDList(image), false).head();
      return features.getShape().size();
    }
  }
}
