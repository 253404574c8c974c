package io.neuroscope.findings;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the rules read of one run: its diagnostics rows and its losses by epoch.
 *
 * @param losses train and validation loss by epoch (every epoch of the run's telemetry)
 */
public record RunHistory(
    String experiment, String runId, List<Reading> readings, SortedMap<Integer, Losses> losses) {

  /** An epoch's losses; {@code val} is null where the epoch logged none. */
  public record Losses(double train, Double val) {}

  public RunHistory {
    readings = List.copyOf(readings);
    losses = new TreeMap<>(losses);
  }

  public static RunHistory of(
      String experiment, String runId, List<Reading> readings, Map<Integer, Losses> losses) {
    return new RunHistory(experiment, runId, readings, new TreeMap<>(losses));
  }
}
