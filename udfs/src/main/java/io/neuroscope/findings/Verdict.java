package io.neuroscope.findings;

import io.neuroscope.diagnostics.Status;
import java.util.Collection;
import java.util.List;

/** A run's verdict: HEALTHY without findings, else its worst finding's severity. */
public final class Verdict {
  private Verdict() {}

  public static Status of(List<RunFinding> findings) {
    return ofSeverities(findings.stream().map(f -> f.severity().name()).toList());
  }

  /** The verdict of a run whose findings have these severities (status names, as in the table). */
  public static Status ofSeverities(Collection<String> severities) {
    Status worst = Status.HEALTHY;
    for (String s : severities) {
      Status st = Status.valueOf(s);
      if (st.severity() > worst.severity()) worst = st;
    }
    return worst;
  }
}
