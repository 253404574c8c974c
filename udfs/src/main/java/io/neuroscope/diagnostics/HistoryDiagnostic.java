package io.neuroscope.diagnostics;

import java.io.Serializable;

/** A diagnostic over a run's loss history at one epoch; it has no layer rows. */
public interface HistoryDiagnostic extends Serializable {
  String name();

  Finding evaluate(LossHistory history);
}
