package io.neuroscope.findings;

import io.neuroscope.diagnostics.Status;
import java.util.Map;

/**
 * One row of the {@code diagnostics} table of a run: a diagnostic's value and status at an epoch,
 * on the network ({@code layer == null}) or on one layer.
 */
public record Reading(
    int epoch,
    Integer layer,
    String diagnostic,
    double value,
    Status status,
    Map<String, Double> details) {

  public Reading {
    details = details == null ? Map.of() : Map.copyOf(details);
  }

  public boolean networkLevel() {
    return layer == null;
  }

  /** A detail, or NaN where the row has none. */
  public double detail(String key) {
    Double d = details.get(key);
    return d == null ? Double.NaN : d;
  }
}
