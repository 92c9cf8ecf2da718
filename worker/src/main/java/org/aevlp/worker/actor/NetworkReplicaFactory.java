package org.aevlp.worker.actor;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import org.aevlp.models.DeviceSelector;
import org.aevlp.models.Network;
import org.aevlp.models.NetworkFactory;
import org.aevlp.models.NetworkSpec;
import org.aevlp.proto.v1.ExperimentSpec;
import org.aevlp.worker.train.ReplicaTrainer;

/**
 * The replica an experiment spec names: {@code arch} from the model factory, seeded with {@code
 * seed}, the backbone optionally loaded from {@code pretrained_path}, trained with Adam at {@code
 * lr} (head: {@code lr × lr_mult}).
 */
public final class NetworkReplicaFactory implements ReplicaFactory {

  private final String device;

  /** @param device device name for {@link DeviceSelector} ("auto", "cpu", "gpu:N") */
  public NetworkReplicaFactory(String device) {
    this.device = device;
  }

  @Override
  public Replica build(ExperimentSpec spec, int numClasses) throws IOException {
    Device selected = DeviceSelector.select(device);
    NetworkSpec networkSpec = NetworkSpec.of(spec.getArch(), numClasses, spec.getImageSize());
    NDManager manager = NDManager.newBaseManager(selected);
    try {
      int seed = (int) spec.getSeed();
      Network network;
      if (spec.getUsePretrained()) {
        if (spec.getPretrainedPath().isEmpty()) {
          throw new IllegalArgumentException("pretrained_path: use_pretrained is true but no backbone file is named;"
              + " give pretrained_path or set use_pretrained to false");
        }
        network = NetworkFactory.buildWithBackbone(networkSpec, manager, seed, Path.of(spec.getPretrainedPath()));
      } else {
        network = NetworkFactory.build(networkSpec, manager, seed);
      }
      ReplicaTrainer trainer = ReplicaTrainer.builder()
          .network(network)
          .device(selected)
          .learningRate(spec.getLr())
          .headLearningRateMultiplier(spec.getLrMult())
          .seed(seed)
          .build();
      return new Replica(trainer, manager);
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }
}
