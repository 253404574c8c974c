package io.neuroscope.diagnostics;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One output row's content: a diagnostic's value and status for a run and epoch, on the whole
 * network ({@code layer == null}) or on one layer, with the component figures in {@code details}.
 */
public record Finding(
    String diagnostic, Integer layer, double value, Status status, Map<String, Double> details)
    implements Serializable {

  public Finding {
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /** The spec's rule: where UNKNOWN, value is 0. */
  public static Finding unknown(String diagnostic, Integer layer) {
    return new Finding(diagnostic, layer, 0.0, Status.UNKNOWN, Map.of());
  }

  public boolean networkLevel() {
    return layer == null;
  }
}
