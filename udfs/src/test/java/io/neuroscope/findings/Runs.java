package io.neuroscope.findings;

import io.neuroscope.diagnostics.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds runs' diagnostics rows and losses for the findings tests. */
final class Runs {
  final List<Reading> readings = new ArrayList<>();
  final TreeMap<Integer, RunHistory.Losses> losses = new TreeMap<>();

  /** Epochs 1..n with a train loss falling from 1.0 by {@code drop} per epoch, val 10 % above. */
  static Runs epochs(int n, double drop) {
    Runs r = new Runs();
    for (int e = 1; e <= n; e++) {
      double t = Math.max(0.05, 1.0 - drop * (e - 1));
      r.losses.put(e, new RunHistory.Losses(t, t * 1.05));
    }
    return r;
  }

  /** A network row of every diagnostic, HEALTHY, each epoch (as a healthy run has). */
  Runs healthy() {
    for (int e : losses.keySet())
      for (String d : io.neuroscope.diagnostics.Diagnostics.names())
        readings.add(
            new Reading(
                e,
                null,
                d,
                d.equals("gradient_snr") ? 0.7 : d.equals("weight_update_ratio") ? 3e-3 : 0.0,
                Status.HEALTHY,
                Map.of()));
    return this;
  }

  /** Replaces the network row of the diagnostic at the epoch. */
  Runs set(String d, int epoch, double value, Status s, Map<String, Double> details) {
    readings.removeIf(r -> r.networkLevel() && r.diagnostic().equals(d) && r.epoch() == epoch);
    readings.add(new Reading(epoch, null, d, value, s, details));
    return this;
  }

  Runs set(String d, int from, int to, double value, Status s) {
    for (int e = from; e <= to; e++) set(d, e, value, s, Map.of());
    return this;
  }

  Runs layer(String d, int epoch, int layer, double value, Status s, Map<String, Double> details) {
    readings.add(new Reading(epoch, layer, d, value, s, details));
    return this;
  }

  RunHistory run() {
    return RunHistory.of("exp", "run", readings, losses);
  }

  List<RunFinding> findings() {
    return RunFindings.of(run(), FindingRules.defaults());
  }

  static RunFinding only(List<RunFinding> fs, String problem) {
    return fs.stream()
        .filter(f -> f.problem().equals(problem))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + problem + " finding in " + fs));
  }
}
