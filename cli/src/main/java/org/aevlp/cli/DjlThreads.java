package org.aevlp.cli;

/**
 * Sets PyTorch's thread counts for this process. DJL reads the properties once, when the engine
 * starts, so this must run before the first DJL call.
 */
final class DjlThreads {

  private DjlThreads() {}

  static void configure(int intraOpThreads) {
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(intraOpThreads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }
}
