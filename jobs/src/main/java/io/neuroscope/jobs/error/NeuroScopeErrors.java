package io.neuroscope.jobs.error;

import java.util.List;

/**
 * Every error NeuroScope reports, in one place: each factory names the error class and words the
 * message, so that the same failure reads the same wherever it is found.
 */
public final class NeuroScopeErrors {
  private NeuroScopeErrors() {}

  // usage: the command line and the settings

  public static UsageException unknownCommand(String command, String usage) {
    return usage("UNKNOWN_COMMAND", "unknown command '" + command + "'", usage);
  }

  public static UsageException unknownOption(String option, String usage) {
    return usage("UNKNOWN_OPTION", "unknown option '" + option + "'", usage);
  }

  /** An argument that is not an option, or an option missing its value. */
  public static UsageException badArgument(String argument, String usage) {
    return usage("BAD_ARGUMENT", "bad argument '" + argument + "'", usage);
  }

  /** A command's positional argument is missing, e.g. sql's query. */
  public static UsageException missingArgument(String command, String what, String usage) {
    return usage("MISSING_ARGUMENT", command + " expects " + what, usage);
  }

  public static UsageException missingOption(String option, String usage) {
    return usage("MISSING_OPTION", option + " is required", usage);
  }

  /** Exactly one of the options must be given. */
  public static UsageException oneOf(List<String> options, String usage) {
    return usage("ONE_OF", "give one of " + String.join(" or ", options), usage);
  }

  public static UsageException badValue(String option, String expected, String got) {
    return new UsageException(
        "BAD_VALUE", option + " expects " + expected + ", got '" + got + "'", null);
  }

  public static UsageException unreadableConf(String file, Throwable cause) {
    return new UsageException(
        "UNREADABLE_CONF", "cannot read --conf " + file + ": " + cause.getMessage(), cause);
  }

  /** A setting's key or value is not one NeuroScope knows (the message comes from the settings). */
  public static UsageException badSetting(IllegalArgumentException cause) {
    return new UsageException("BAD_SETTING", cause.getMessage(), cause);
  }

  /** An output table a command reads is not there. */
  public static UsageException missingOutputTable(String table, String path, String hint) {
    return new UsageException(
        "MISSING_TABLE", "no " + table + " table at " + path + " (" + hint + ")", null);
  }

  /** Runs asked for by id or experiment that the output does not have. */
  public static UsageException noSuchRuns(String what, String path) {
    return new UsageException("NO_SUCH_RUNS", "no " + what + " in " + path, null);
  }

  /** A labels file for evaluate that cannot be read or does not follow the README's format. */
  public static UsageException badLabels(String file, String reason, Throwable cause) {
    return new UsageException("BAD_LABELS", "--labels " + file + ": " + reason, cause);
  }

  public static UsageException queryFailed(List<String> views, Throwable cause) {
    return new UsageException(
        "QUERY_FAILED",
        "query failed (views: " + String.join(", ", views) + "): " + cause.getMessage(),
        cause);
  }

  private static UsageException usage(String errorClass, String reason, String usage) {
    return new UsageException(errorClass, reason + "\n" + usage, null);
  }

  // contract: the telemetry's tables and columns

  public static ContractException missingTelemetryTable(String table, String where) {
    return new ContractException(
        "MISSING_TABLE",
        "Telemetry table '"
            + table
            + "' not found: expected a Delta table "
            + "or a folder of Parquet files at "
            + where,
        null);
  }

  public static ContractException missingCatalogTable(String table, String name) {
    return new ContractException(
        "MISSING_TABLE",
        "Telemetry table '" + table + "' not found: no table " + name + " in the catalog",
        null);
  }

  public static ContractException unreadableCatalogTable(
      String table, String name, Throwable cause) {
    return new ContractException(
        "UNREADABLE_TABLE",
        "Telemetry table '"
            + table
            + "' ("
            + name
            + ") could not be read from the catalog: "
            + firstLine(cause),
        cause);
  }

  public static ContractException unreadableTelemetryTable(
      String table, String where, Throwable cause) {
    return new ContractException(
        "UNREADABLE_TABLE",
        "Telemetry table '"
            + table
            + "' at "
            + where
            + " could not be read as Delta or Parquet: "
            + firstLine(cause),
        cause);
  }

  /** One file of a Parquet folder stores a column as a type the contract does not take. */
  public static ContractException fileWrongType(
      String table, String file, String column, String actual, String expected) {
    return new ContractException(
        "WRONG_TYPE",
        "Telemetry table '"
            + table
            + "': file "
            + file
            + " stores column '"
            + column
            + "' as "
            + actual
            + ", expected "
            + expected
            + " (rewrite that file, or move it out of the folder)",
        null);
  }

  public static ContractException missingColumn(
      String table, String column, String expectedType, String where) {
    return new ContractException(
        "MISSING_COLUMN",
        "Telemetry table '"
            + table
            + "' ("
            + where
            + ") has no column '"
            + column
            + "' (expected "
            + expectedType
            + ")",
        null);
  }

  public static ContractException wrongType(
      String table, String column, String actual, String expected, String where) {
    return new ContractException(
        "WRONG_TYPE",
        "Telemetry table '"
            + table
            + "' ("
            + where
            + "): column '"
            + column
            + "' has type "
            + actual
            + ", expected "
            + expected,
        null);
  }

  // job failures

  public static JobFailedException catalogTableTaken(
      String name, String type, String location, String wanted) {
    return new JobFailedException(
        "CATALOG_TABLE_TAKEN",
        "catalog table "
            + name
            + " exists as a "
            + type
            + " table at "
            + location
            + "; not replacing it with "
            + wanted
            + " (set catalog.database to another database)",
        null);
  }

  public static JobFailedException commitConflicts(
      String what, int attempts, String lastConflict, Throwable cause) {
    return new JobFailedException(
        "COMMIT_CONFLICTS",
        what
            + ": another writer committed to the table during each of "
            + attempts
            + " attempts; run again when it has finished. Last conflict: "
            + lastConflict,
        cause);
  }

  /** The first line of a cause's message: Spark's carry plans and stack context after it. */
  public static String firstLine(Throwable cause) {
    String m = String.valueOf(cause.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
