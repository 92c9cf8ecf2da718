package org.aevlp.models;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.IOException;
import java.nio.file.Path;
import org.aevlp.models.io.BackboneWeights;
import org.aevlp.models.layers.TorchLikeLayers;

/**
 * Builds classifiers by architecture name: backbone + linear multi-label head (PyTorch default
 * initialisation), initialised on the caller's {@link NDManager} (and so on its device).
 *
 * <p>For {@code arch: tiny-vlm} the backbone is the tiny VLM's image tower; give it its pretrained
 * weights with {@link #buildWithBackbone}. A TorchScript backbone is built by {@link
 * org.aevlp.models.io.TorchScriptBackbone}.
 */
public final class NetworkFactory {

  private NetworkFactory() {}

  /**
   * A freshly initialised classifier.
   *
   * @param spec architecture, class count and input size
   * @param manager owner of the parameters; its device is where they live (see {@link
   *     DeviceSelector})
   * @param seed engine random seed: the same seed gives bit-identical initial weights
   */
  public static Network build(NetworkSpec spec, NDManager manager, int seed) {
    Architecture arch = spec.arch();
    Block backbone = arch.newBackbone();
    Block head = TorchLikeLayers.linear(arch.featureDim(), spec.numClasses());
    ClassifierBlock classifier = new ClassifierBlock(backbone, head, arch.featureDim());
    Shape input = new Shape(1, 3, spec.imageSize(), spec.imageSize());
    SeededInitialization.run(seed, () -> classifier.initialize(manager, DataType.FLOAT32, input));
    return new Network(spec, classifier, backbone, head, arch.featureDim());
  }

  /**
   * A classifier whose backbone (parameters and BatchNorm running statistics) comes from a backbone
   * file written by {@link BackboneWeights#save}; the head is freshly initialised from {@code seed}.
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if the file is not a backbone file for {@code spec.arch()}
   */
  public static Network buildWithBackbone(
      NetworkSpec spec, NDManager manager, int seed, Path backboneFile) throws IOException {
    Network network = build(spec, manager, seed);
    BackboneWeights.load(backboneFile, spec.arch(), network.backbone(), manager);
    return network;
  }
}
