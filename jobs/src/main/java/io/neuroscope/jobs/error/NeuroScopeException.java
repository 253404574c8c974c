package io.neuroscope.jobs.error;

/**
 * A failure NeuroScope can name: its {@link #errorClass() error class} (stable, for scripts and
 * alerting), a one-line message that says what, where and what to do, and the exit status the
 * command line ends with. Built by {@link NeuroScopeErrors}.
 */
public abstract sealed class NeuroScopeException extends RuntimeException
    permits UsageException, ContractException, JobFailedException {
  private final String errorClass;

  NeuroScopeException(String errorClass, String message, Throwable cause) {
    super(message, cause);
    this.errorClass = errorClass;
  }

  /**
   * E.g. {@code USAGE.UNKNOWN_OPTION}, {@code CONTRACT.MISSING_COLUMN}, {@code
   * JOB.COMMIT_CONFLICTS}.
   */
  public String errorClass() {
    return errorClass;
  }

  /** The process's exit status: 2 for usage and contract errors, 1 for other failures. */
  public abstract int exitStatus();
}
