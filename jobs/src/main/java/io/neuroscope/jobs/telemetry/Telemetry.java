package io.neuroscope.jobs.telemetry;

import io.delta.tables.DeltaTable;
import io.neuroscope.jobs.error.ContractException;
import io.neuroscope.jobs.error.NeuroScopeErrors;
import io.neuroscope.jobs.table.DeltaHead;
import io.neuroscope.jobs.table.TableFolders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The four telemetry tables, read from a root folder (each table a Delta table, told apart by its
 * {@code _delta_log/}, or a folder of Parquet files) or from a catalog database, with their schemas
 * checked against the contract before anything else happens.
 */
public record Telemetry(
    String source,
    Dataset<Row> runs,
    Dataset<Row> layers,
    Dataset<Row> epochs,
    Dataset<Row> tensors,
    boolean inCatalog,
    List<String> locations,
    List<ParquetFiles.Unreadable> unreadableFiles) {

  /**
   * The four tables under {@code root}. A Parquet file that cannot be read (truncated, not Parquet)
   * is left out and listed in {@link #unreadableFiles()}, for the quarantine; a file that stores a
   * contract column as another type stops the job, naming it.
   */
  public static Telemetry fromFolder(SparkSession spark, String root) {
    Dataset<Row>[] t = new Dataset[4];
    List<String> paths = new ArrayList<>();
    List<ParquetFiles.Unreadable> unreadable = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String table = TelemetryContract.TABLES.get(i);
      String path = TelemetrySource.folder(root).locations().get(i);
      try {
        t[i] = readFolder(spark, table, path);
        TelemetryContract.check(table, t[i].schema(), path);
      } catch (ContractException e) {
        // read the footers one by one: name the file that breaks the contract, or leave out the
        // files that cannot be read and read the others
        Optional<ParquetFiles.Scan> scan = ParquetFiles.scan(spark, table, path);
        if (scan.isEmpty() || scan.get().unreadable().isEmpty() && scan.get().wrongType().isEmpty())
          throw e;
        if (scan.get().wrongType().isPresent()) throw scan.get().wrongType().get();
        if (scan.get().readable().isEmpty()) throw e;
        t[i] =
            spark
                .read()
                .option("mergeSchema", "true")
                .parquet(scan.get().readable().toArray(String[]::new));
        TelemetryContract.check(table, t[i].schema(), path);
        unreadable.addAll(scan.get().unreadable());
      }
      paths.add(path);
    }
    return new Telemetry(
        root, t[0], t[1], t[2], t[3], false, List.copyOf(paths), List.copyOf(unreadable));
  }

  public static Telemetry fromCatalog(SparkSession spark, String database) {
    Dataset<Row>[] t = new Dataset[4];
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String table = TelemetryContract.TABLES.get(i);
      String name = TelemetrySource.catalog(database).locations().get(i); // quoted: my-db, c.s
      names.add(name);
      try {
        if (!spark.catalog().tableExists(name)) {
          throw NeuroScopeErrors.missingCatalogTable(table, database + "." + table);
        }
        t[i] = spark.table(name);
      } catch (ContractException e) {
        throw e;
      } catch (Exception e) { // AnalysisException (undeclared by Scala): a name the catalog refuses
        throw NeuroScopeErrors.unreadableCatalogTable(table, database + "." + table, e);
      }
      TelemetryContract.check(table, t[i].schema(), database + "." + table);
    }
    return new Telemetry(database, t[0], t[1], t[2], t[3], true, List.copyOf(names), List.of());
  }

  public SparkSession sparkSession() {
    return runs.sparkSession();
  }

  /**
   * What the four tables hold, told cheaply: a Delta table's identity (the id its first commit gave
   * it, new when the table is deleted and written again) and version, or a Parquet folder's file
   * listing (paths, sizes, modification times) hashed; null when neither can be told (a catalog
   * table that is not Delta). Equal fingerprints mean unchanged tables. Told from the tables'
   * {@code locations}, without reading them ({@link TelemetrySource#fingerprint}).
   */
  static String fingerprint(
      SparkSession spark, boolean inCatalog, List<String> locations, Map<String, DeltaHead> heads) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      String table = TelemetryContract.TABLES.get(i);
      DeltaHead head = heads.get(table);
      if (head != null) {
        out.append(table)
            .append('@')
            .append(head.id())
            .append("v")
            .append(head.version())
            .append(' ');
      } else if (inCatalog) {
        return null;
      } else {
        out.append(table)
            .append("@files:")
            .append(Long.toHexString(listing(spark, locations.get(i))))
            .append(' ');
      }
    }
    return out.toString().trim();
  }

  /**
   * The Delta table id of the tensors table (empty when it is not Delta): row ids and row commit
   * versions start again at 0 in a table deleted and written again, its id does not.
   */
  public Optional<String> tensorsIdentity(SparkSession spark) {
    return identity(
        spark,
        inCatalog,
        locations.get(TelemetryContract.TABLES.indexOf(TelemetryContract.TENSORS)));
  }

  private static Optional<String> identity(SparkSession spark, boolean inCatalog, String where) {
    return delta(spark, inCatalog, where).map(d -> DeltaHead.of(d).id());
  }

  private static Optional<DeltaTable> delta(SparkSession spark, boolean inCatalog, String where) {
    try {
      return Optional.ofNullable(
          inCatalog
              ? DeltaTable.forName(spark, where)
              : DeltaTable.isDeltaTable(spark, where) ? DeltaTable.forPath(spark, where) : null);
    } catch (Exception e) { // not a Delta table (forName throws AnalysisException, undeclared)
      return Optional.empty();
    }
  }

  private static long listing(SparkSession spark, String folder) {
    try {
      Path p = new Path(folder);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      long sum = 0; // of each file's hash: the listing's order does not matter
      var files = fs.listFiles(p, true);
      while (files.hasNext()) {
        var f = files.next();
        long h = f.getPath().toString().hashCode();
        h = h * 0x9E3779B97F4A7C15L + f.getLen();
        h = h * 0x9E3779B97F4A7C15L + f.getModificationTime();
        sum += h ^ (h >>> 31);
      }
      return sum;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not list telemetry folder " + folder, e);
    }
  }

  /**
   * Each table's Delta id and version now (null for a Parquet folder or a non-Delta table), read
   * once per table: from the log, not by a Spark job.
   */
  static Map<String, DeltaHead> heads(
      SparkSession spark, boolean inCatalog, List<String> locations) {
    Map<String, DeltaHead> out = new LinkedHashMap<>();
    for (int i = 0; i < 4; i++) {
      out.put(
          TelemetryContract.TABLES.get(i),
          delta(spark, inCatalog, locations.get(i)).map(DeltaHead::of).orElse(null));
    }
    return out;
  }

  private static Dataset<Row> readFolder(SparkSession spark, String table, String path) {
    try {
      return TableFolders.read(spark, path, true)
          .orElseThrow(() -> NeuroScopeErrors.missingTelemetryTable(table, path));
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException(
          "Could not read telemetry table '" + table + "' at " + path, e.getCause());
    } catch (ContractException e) {
      throw e;
    } catch (Exception e) {
      // Spark's AnalysisException (e.g. an empty folder: "Unable to infer schema"), SparkException
      // (files that store a column as types that do not merge)
      throw NeuroScopeErrors.unreadableTelemetryTable(table, path, e);
    }
  }
}
