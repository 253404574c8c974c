package io.neuroscope.jobs.action;

/** How much of its scope an action computed. */
public enum Outcome {
  /** Every run, from scratch. */
  COMPUTED_ALL("full"),
  /** Only what was new or changed; the rest was left as it was. */
  COMPUTED_CHANGED("incremental"),
  /** Nothing: there was nothing new or changed. */
  SKIPPED("incremental");

  private final String mode;

  Outcome(String mode) {
    this.mode = mode;
  }

  /**
   * The audit's {@code mode} column: "full" or "incremental" (a skip is an incremental run that
   * found nothing).
   */
  public String mode() {
    return mode;
  }
}
