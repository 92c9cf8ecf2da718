package org.aevlp.worker.actor;

import org.aevlp.worker.train.ReplicaTrainer;

/** A built replica and whatever else must be closed with it (e.g. the manager of its network). */
public record Replica(ReplicaTrainer trainer, AutoCloseable owner) implements AutoCloseable {

  @Override
  public void close() {
    trainer.close();
    try {
      owner.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing the replica's resources failed", e);
    }
  }
}
