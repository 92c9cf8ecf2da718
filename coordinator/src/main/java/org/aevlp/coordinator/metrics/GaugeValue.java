package org.aevlp.coordinator.metrics;

/**
 * The latest value of a gauge, written by one thread and read by the scraper: NaN until set (a
 * gauge with no value yet is absent data, not zero).
 */
final class GaugeValue {

  private volatile double value = Double.NaN;

  void set(double newValue) {
    value = newValue;
  }

  double get() {
    return value;
  }
}
