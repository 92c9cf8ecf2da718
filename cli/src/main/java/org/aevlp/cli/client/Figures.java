package org.aevlp.cli.client;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the client commands write numbers, durations and times, so every table agrees. */
final class Figures {

  /** Stands for a value that does not exist yet (no result, not started). */
  static final String NONE = "-";

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  private Figures() {}

  /** A percentage metric (mAP, P, R, F1) with two decimals: {@code 61.25}. */
  static String percent(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }

  /** A loss with four decimals. */
  static String loss(double value) {
    return String.format(Locale.ROOT, "%.4f", value);
  }

  /** Pseudo-label precision/recall/F1 as {@code P/R/F1}, or {@link #NONE} when all are 0 (no pseudo-labels). */
  static String plTriple(double precision, double recall, double f1) {
    if (precision == 0 && recall == 0 && f1 == 0) {
      return NONE;
    }
    return percent(precision) + "/" + percent(recall) + "/" + percent(f1);
  }

  /** Seconds as {@code 42s}, {@code 3m12s} or {@code 1h02m03s}; negative or non-finite as {@link #NONE}. */
  static String duration(double seconds) {
    if (!(seconds >= 0) || Double.isInfinite(seconds)) {
      return NONE;
    }
    long total = Math.round(seconds);
    long hours = total / 3600;
    long minutes = total % 3600 / 60;
    long secs = total % 60;
    if (hours > 0) {
      return String.format(Locale.ROOT, "%dh%02dm%02ds", hours, minutes, secs);
    }
    if (minutes > 0) {
      return String.format(Locale.ROOT, "%dm%02ds", minutes, secs);
    }
    return secs + "s";
  }

  /** A time in milliseconds since the epoch as local date and time; 0 as {@link #NONE}. */
  static String time(long epochMillis, ZoneId zone) {
    return epochMillis == 0 ? NONE : TIME.format(Instant.ofEpochMilli(epochMillis).atZone(zone));
  }
}
