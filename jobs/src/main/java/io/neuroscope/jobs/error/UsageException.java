package io.neuroscope.jobs.error;

/** The command line or the settings are wrong: nothing ran. Exit status 2. */
public final class UsageException extends NeuroScopeException {
  UsageException(String errorClass, String message, Throwable cause) {
    super("USAGE." + errorClass, message, cause);
  }

  @Override
  public int exitStatus() {
    return 2;
  }
}
