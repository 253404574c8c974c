package io.neuroscope.diagnostics;

/**
 * A diagnostic's verdict. UNKNOWN: the inputs the diagnostic needs are absent for that run and
 * epoch.
 */
public enum Status {
  HEALTHY(1),
  WARNING(2),
  CRITICAL(3),
  UNKNOWN(0);

  private final int severity;

  Status(int severity) {
    this.severity = severity;
  }

  /**
   * The rank that orders statuses for "worst": UNKNOWN 0 < HEALTHY 1 < WARNING 2 < CRITICAL 3 (an
   * unknown status says nothing, so any known one outranks it).
   */
  public int severity() {
    return severity;
  }

  /** The status of a {@link #severity()} rank. */
  public static Status ofSeverity(int severity) {
    for (Status s : values()) if (s.severity == severity) return s;
    throw new IllegalArgumentException("no status has severity " + severity + " (0..3)");
  }

  /** WARNING or CRITICAL. */
  public boolean isProblem() {
    return this == WARNING || this == CRITICAL;
  }

  /** A SQL expression of a status column's {@link #severity()} (0 for null or any other text). */
  public static String severitySql(String column) {
    StringBuilder out = new StringBuilder("CASE ").append(column);
    for (Status s : values())
      if (s.severity > 0) out.append(" WHEN '").append(s).append("' THEN ").append(s.severity);
    return out.append(" ELSE 0 END").toString();
  }

  /** A SQL expression of the status of a {@link #severity()} expression. */
  public static String statusSql(String severity) {
    StringBuilder out = new StringBuilder("CASE ").append(severity);
    for (Status s : values())
      if (s.severity > 0)
        out.append(" WHEN ").append(s.severity).append(" THEN '").append(s).append("'");
    return out.append(" ELSE '").append(UNKNOWN).append("' END").toString();
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
