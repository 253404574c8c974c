package io.neuroscope.findings;

import io.neuroscope.diagnostics.Status;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A problem a run had: one row of the {@code findings} table.
 *
 * @param problem a diagnostic's name, or {@link Problems#NON_FINITE}
 * @param severity WARNING or CRITICAL
 * @param onsetLayer the layer where it first appeared; null for a network-only problem
 * @param epochs how many epochs it held
 * @param explainedBy for a symptom, the cause's problem; else null
 * @param evidence the figures that decided it
 * @param summary one line in words
 */
public record RunFinding(
    String problem,
    Status severity,
    int onsetEpoch,
    Integer onsetLayer,
    int lastEpoch,
    int epochs,
    Role role,
    String explainedBy,
    Map<String, Double> evidence,
    String summary) {

  public RunFinding {
    if (severity != Status.WARNING && severity != Status.CRITICAL)
      throw new IllegalArgumentException("a finding is WARNING or CRITICAL, not " + severity);
    evidence = Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
  }

  RunFinding asSymptomOf(String cause) {
    return new RunFinding(
        problem,
        severity,
        onsetEpoch,
        onsetLayer,
        lastEpoch,
        epochs,
        Role.SYMPTOM,
        cause,
        evidence,
        summary);
  }

  RunFinding withEvidence(Map<String, Double> more) {
    Map<String, Double> e = new LinkedHashMap<>(evidence);
    e.putAll(more);
    return new RunFinding(
        problem,
        severity,
        onsetEpoch,
        onsetLayer,
        lastEpoch,
        epochs,
        role,
        explainedBy,
        e,
        summary);
  }
}
