package io.neuroscope.jobs.error;

/**
 * A job could not finish for a reason outside the command line and the telemetry's contract. Exit
 * status 1.
 */
public final class JobFailedException extends NeuroScopeException {
  JobFailedException(String errorClass, String message, Throwable cause) {
    super("JOB." + errorClass, message, cause);
  }

  @Override
  public int exitStatus() {
    return 1;
  }
}
