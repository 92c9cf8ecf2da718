package org.aevlp.common.data.synthetic;

import java.util.Locale;

/**
 * The ten object colours of the synthetic data. They are saturated (or near white/black) so they
 * stand out from the low-saturation mid-tone backgrounds.
 */
public enum ObjectColour {
  RED(220, 30, 30),
  GREEN(30, 170, 50),
  BLUE(30, 60, 220),
  YELLOW(240, 220, 30),
  ORANGE(250, 140, 20),
  PURPLE(130, 40, 180),
  CYAN(30, 200, 210),
  PINK(250, 120, 190),
  WHITE(245, 245, 245),
  BLACK(20, 20, 20);

  private final int red;
  private final int green;
  private final int blue;

  ObjectColour(int red, int green, int blue) {
    this.red = red;
    this.green = green;
    this.blue = blue;
  }

  /** The colour word used in captions ("red"). */
  public String displayName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Channel c (0 red, 1 green, 2 blue) in 0..255. */
  public int channel(int c) {
    return switch (c) {
      case 0 -> red;
      case 1 -> green;
      case 2 -> blue;
      default -> throw new IllegalArgumentException("channel must be 0, 1 or 2, got " + c);
    };
  }
}
