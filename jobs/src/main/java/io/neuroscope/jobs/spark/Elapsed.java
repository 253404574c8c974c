package io.neuroscope.jobs.spark;

import java.util.Locale;

/** Elapsed time for the logs, in seconds with one decimal. */
public final class Elapsed {
  private Elapsed() {}

  /** Seconds since {@code startNanos}, a {@link System#nanoTime()} reading. */
  public static String since(long startNanos) {
    return seconds((System.nanoTime() - startNanos) / 1e9);
  }

  public static String seconds(double seconds) {
    return String.format(Locale.ROOT, "%.1f", seconds);
  }
}
