package io.neuroscope.diagnostics;

import java.io.Serializable;
import java.util.List;

/**
 * A diagnostic over one run-epoch's tensors: its network-level finding first, then its layer
 * findings.
 */
public interface TensorDiagnostic extends Serializable {
  String name();

  List<Finding> evaluate(EpochTensors tensors);
}
