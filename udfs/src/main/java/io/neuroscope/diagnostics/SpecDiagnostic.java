package io.neuroscope.diagnostics;

import java.io.Serializable;

/**
 * What every diagnostic class shares: its name in the output and the settings it reads its
 * thresholds from.
 */
abstract class SpecDiagnostic implements Serializable {
  protected final Settings s;
  private final String name;

  SpecDiagnostic(String name, Settings s) {
    this.name = name;
    this.s = s;
  }

  public String name() {
    return name;
  }
}
