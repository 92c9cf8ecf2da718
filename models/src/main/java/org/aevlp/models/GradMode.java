package org.aevlp.models;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's autograd mode is per thread and on by default. DJL turns it off on the thread that
 * loads the engine, and a GradientCollector restores the mode it found when it closes; so on any
 * other thread (a second actor system's dispatcher, a replaced pool thread) the optimizer's
 * in-place updates of leaf parameters would fail ("a leaf Variable that requires grad is being
 * used in an in-place operation"). Replicas, the VLM pretrainer and the scorers switch it off before every operation that writes
 * parameters or optimizer state, and before inference.
 */
public final class GradMode {

  private GradMode() {}

  /** Turns autograd off on the calling thread (only the PyTorch engine has the notion). */
  public static void offOnThisThread() {
    if ("PyTorch".equals(Engine.getInstance().getEngineName())) {
      JniUtils.setGradMode(false);
    }
  }
}
