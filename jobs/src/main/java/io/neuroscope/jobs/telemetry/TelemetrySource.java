package io.neuroscope.jobs.telemetry;

import io.neuroscope.jobs.table.CatalogNames;
import io.neuroscope.jobs.table.DeltaHead;
import io.neuroscope.jobs.table.TableFolders;
import java.util.LinkedHashMap;
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
        .map(t -> catalog ? CatalogNames.table(location, t) : TableFolders.join(location, t))
        .toList();
  }

  /**
   * The tables' Delta ids and versions (null for a Parquet folder or a non-Delta table), told
   * without reading the tables (no schema read, no Spark job), so that a nightly can tell an
   * unchanged input before it reads anything.
   */
  public Map<String, DeltaHead> heads(SparkSession spark) {
    return Telemetry.heads(spark, catalog, locations());
  }

  /** Each table's version of {@code heads}, null where it has none, for the audit. */
  public static Map<String, Long> versions(Map<String, DeltaHead> heads) {
    Map<String, Long> out = new LinkedHashMap<>();
    heads.forEach((table, head) -> out.put(table, head == null ? null : head.version()));
    return out;
  }

  /**
   * {@link Telemetry#fingerprint} of the four tables, told without reading the tables; null when it
   * cannot be told (also when a table is missing: reading it then gives the error that names it).
   */
  public String fingerprint(SparkSession spark, Map<String, DeltaHead> heads) {
    try {
      return Telemetry.fingerprint(spark, catalog, locations(), heads);
    } catch (RuntimeException e) { // a folder missing or unreadable
      return null;
    }
  }

  @Override
  public String toString() {
    return location;
  }
}
