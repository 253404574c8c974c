package io.neuroscope.diagnostics;

/** A diagnostic's verdict. UNKNOWN: the inputs the diagnostic needs are absent for that run and epoch. */
public enum Status {
  HEALTHY,
  WARNING,
  CRITICAL,
  UNKNOWN;

  /** Severity order for "worst of": UNKNOWN below HEALTHY, so known findings win. */
  public int severity() {
    return switch (this) {
      case UNKNOWN -> 0;
      case HEALTHY -> 1;
      case WARNING -> 2;
      case CRITICAL -> 3;
    };
  }

  /** "< healthyBelow HEALTHY; < warningBelow WARNING; else CRITICAL" — NaN passes neither test. */
  static Status lowerIsHealthier(double value, double healthyBelow, double warningBelow) {
    if (value < healthyBelow) return HEALTHY;
    if (value < warningBelow) return WARNING;
    return CRITICAL;
  }

  /** "> healthyAbove HEALTHY; > warningAbove WARNING; else CRITICAL". */
  static Status higherIsHealthier(double value, double healthyAbove, double warningAbove) {
    if (value > healthyAbove) return HEALTHY;
    if (value > warningAbove) return WARNING;
    return CRITICAL;
  }

  /** "> criticalAbove CRITICAL; > warningAbove WARNING; else HEALTHY". */
  static Status higherIsWorse(double value, double criticalAbove, double warningAbove) {
    if (value > criticalAbove) return CRITICAL;
    if (value > warningAbove) return WARNING;
    return HEALTHY;
  }
}
