package io.neuroscope.findings;

import io.neuroscope.diagnostics.Status;
import java.util.List;

/** A run's verdict: HEALTHY without findings, else its worst finding's severity. */
public final class Verdict {
  private Verdict() {}

  public static Status of(List<RunFinding> findings) {
    Status worst = Status.HEALTHY;
    for (RunFinding f : findings)
      if (f.severity().severity() > worst.severity()) worst = f.severity();
    return worst;
  }
}
