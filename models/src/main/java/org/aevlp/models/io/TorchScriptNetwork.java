package org.aevlp.models.io;

import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.ZooModel;
import org.aevlp.models.Network;

/**
 * A classifier on a TorchScript backbone and the DJL model that owns the module's native memory;
 * close it when done. The model's block is the whole classifier, so {@code model.newTrainer(...)}
 * trains backbone and head.
 *
 * @param model the loaded model (owner of the module and of the head's parameters)
 * @param network the classifier
 */
public record TorchScriptNetwork(ZooModel<NDList, NDList> model, Network network)
    implements AutoCloseable {

  @Override
  public void close() {
    model.close();
  }
}
