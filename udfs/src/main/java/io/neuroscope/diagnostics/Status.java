package io.neuroscope.diagnostics;

/** A diagnostic's verdict. UNKNOWN: the inputs the diagnostic needs are absent for that run and epoch. */
public enum Status {
  HEALTHY,
  WARNING,
  CRITICAL,
  UNKNOWN;

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
