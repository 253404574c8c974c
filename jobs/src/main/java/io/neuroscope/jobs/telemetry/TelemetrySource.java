package io.neuroscope.jobs.telemetry;

import io.neuroscope.jobs.table.CatalogNames;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Where the telemetry is, before it is read: a root folder of the four tables, or a catalog
 * database. Reading it ({@link #read}) checks the contract, so a job can read it inside the block
 * that records its failures.
 *
 * @param location the folder or the database, as given
 */
public record TelemetrySource(String location, boolean catalog) {

  public static TelemetrySource folder(String root) {
    return new TelemetrySource(root, false);
  }

  public static TelemetrySource catalog(String database) {
    return new TelemetrySource(database, true);
  }

  /** The four tables, their schemas checked against the contract. */
  public Telemetry read(SparkSession spark) {
    return catalog ? Telemetry.fromCatalog(spark, location) : Telemetry.fromFolder(spark, location);
  }

  /** Where each of the four tables is, in the contract's order: folders, or catalog names. */
  public List<String> locations() {
    return TelemetryContract.TABLES.stream()
        .map(
            t ->
                catalog
                    ? CatalogNames.table(location, t)
                    : location.replaceAll("/+$", "") + "/" + t)
        .toList();
  }

  /**
   * The tables' Delta versions (null for a Parquet folder or a non-Delta table), told without
   * reading the tables (no schema read, no Spark job), so that a nightly can tell an unchanged
   * input before it reads anything.
   */
  public Map<String, Long> versions(SparkSession spark) {
    return Telemetry.versions(spark, catalog, locations());
  }

  /**
   * {@link Telemetry#fingerprint} of the four tables, told without reading the tables; null when it
   * cannot be told (also when a table is missing: reading it then gives the error that names it).
   */
  public String fingerprint(SparkSession spark, Map<String, Long> versions) {
    try {
      return Telemetry.fingerprint(spark, catalog, locations(), versions);
    } catch (RuntimeException e) { // a folder missing or unreadable
      return null;
    }
  }

  @Override
  public String toString() {
    return location;
  }
}
