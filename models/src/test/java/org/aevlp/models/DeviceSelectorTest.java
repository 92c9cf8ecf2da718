package org.aevlp.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class DeviceSelectorTest {

  @Test
  void automaticChoiceFollowsTheEnginesGpuCount() {
    Device expected = Engine.getInstance().getGpuCount() > 0 ? Device.gpu(0) : Device.cpu();
    assertEquals(expected, DeviceSelector.select(null));
    assertEquals(expected, DeviceSelector.select("auto"));
  }

  @Test
  void withoutGpusTheChoiceIsTheCpu() {
    assumeTrue(Engine.getInstance().getGpuCount() == 0, "this machine has a GPU");
    Device device = DeviceSelector.select("");
    assertEquals(Device.cpu(), device);
    try (NDManager manager = NDManager.newBaseManager(device)) {
      assertEquals(Device.cpu(), manager.ones(new Shape(2)).getDevice());
    }
  }

  @Test
  void namesOverrideTheChoice() {
    assertEquals(Device.cpu(), DeviceSelector.select("CPU", 2));
    assertEquals(Device.gpu(0), DeviceSelector.select("gpu", 2));
    assertEquals(Device.gpu(1), DeviceSelector.select("gpu:1", 2));
    assertEquals(Device.gpu(0), DeviceSelector.select(null, 2));
    assertEquals(Device.cpu(), DeviceSelector.select(null, 0));
  }

  @Test
  void missingOrMalformedDevicesAreErrorsNamingTheField() {
    assertFieldError(() -> DeviceSelector.select("gpu", 0));
    assertFieldError(() -> DeviceSelector.select("gpu:2", 2));
    assertFieldError(() -> DeviceSelector.select("gpu:x", 2));
    assertFieldError(() -> DeviceSelector.select("gpu:-1", 2));
    assertFieldError(() -> DeviceSelector.select("tpu", 2));
  }

  private static void assertFieldError(Executable call) {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, call);
    assertTrue(error.getMessage().startsWith("device:"), error.getMessage());
  }
}
