package org.aevlp.models;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/**
 * Chooses the device a replica trains on: a GPU when the engine reports one, the CPU otherwise,
 * unless a name overrides the choice.
 *
 * <p>Accepted names (case-insensitive): empty/{@code null}/{@code "auto"} (GPU 0 if any, else CPU),
 * {@code "cpu"}, {@code "gpu"} (= {@code "gpu:0"}), {@code "gpu:N"}. A GPU the engine does not
 * report is an error, not a silent fall-back to the CPU.
 */
public final class DeviceSelector {

  private DeviceSelector() {}

  /** The device for {@code override}, asking the default engine how many GPUs it sees. */
  public static Device select(String override) {
    return select(override, Engine.getInstance().getGpuCount());
  }

  /**
   * The device for {@code override} given {@code gpuCount} visible GPUs.
   *
   * @throws IllegalArgumentException naming the {@code device} field
   */
  public static Device select(String override, int gpuCount) {
    String name = override == null ? "" : override.trim().toLowerCase(Locale.ROOT);
    if (name.isEmpty() || name.equals("auto")) {
      return gpuCount > 0 ? Device.gpu(0) : Device.cpu();
    }
    if (name.equals("cpu")) {
      return Device.cpu();
    }
    if (name.equals("gpu") || name.startsWith("gpu:")) {
      int index = name.equals("gpu") ? 0 : parseIndex(override, name.substring(4));
      if (index >= gpuCount) {
        throw new IllegalArgumentException(
            "device: '" + override + "' requested but the engine reports " + gpuCount + " GPU(s)");
      }
      return Device.gpu(index);
    }
    throw new IllegalArgumentException(
        "device: unknown device '" + override + "'; expected auto, cpu, gpu or gpu:N");
  }

  private static int parseIndex(String override, String digits) {
    try {
      int index = Integer.parseInt(digits);
      if (index >= 0) {
        return index;
      }
    } catch (NumberFormatException e) {
      // reported below with the field name
    }
    throw new IllegalArgumentException(
        "device: '" + override + "' needs a non-negative GPU index after 'gpu:'");
  }
}
