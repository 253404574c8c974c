package io.neuroscope.jobs.telemetry;

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

  @Override
  public String toString() {
    return location;
  }
}
