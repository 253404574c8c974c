package io.neuroscope.jobs.error;

/**
 * The telemetry breaks the input contract in a way that stops the job before any work: a missing
 * table, a missing column or one of the wrong type. The message names the table and column, and
 * says what was expected. Exit status 2. (Bad rows are not errors: they are quarantined.)
 */
public final class ContractException extends NeuroScopeException {
  ContractException(String errorClass, String message, Throwable cause) {
    super("CONTRACT." + errorClass, message, cause);
  }

  @Override
  public int exitStatus() {
    return 2;
  }
}
