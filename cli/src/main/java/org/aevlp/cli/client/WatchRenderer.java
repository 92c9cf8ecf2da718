package org.aevlp.cli.client;

import org.aevlp.proto.v1.ExperimentEvent;

/** Shows the events of a Watch stream as they arrive. */
public interface WatchRenderer {

  void onEvent(ExperimentEvent event);

  /** The stream ended (or broke): leave the output tidy. */
  default void end() {}
}
