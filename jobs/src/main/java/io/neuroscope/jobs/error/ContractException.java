package io.neuroscope.jobs.error;


/**
 * The telemetry breaks the input contract in a way that stops the job before any work: a missing
 * table, a missing column or one of the wrong type. The message names the table and column, and
 * says what was expected.
 */
public final class ContractException extends RuntimeException {
  public ContractException(String message) {
    super(message);
  }

  public static ContractException missingTable(String table, String where) {
    return new ContractException("Telemetry table '" + table + "' not found: expected a Delta table or a folder of "
        + "Parquet files at " + where);
  }

  public static ContractException missingColumn(String table, String column, String expectedType, String where) {
    return new ContractException("Telemetry table '" + table + "' (" + where + ") has no column '" + column
        + "' (expected " + expectedType + ")");
  }

  public static ContractException wrongType(String table, String column, String actual, String expected, String where) {
    return new ContractException("Telemetry table '" + table + "' (" + where + "): column '" + column + "' has type "
        + actual + ", expected " + expected);
  }
}
