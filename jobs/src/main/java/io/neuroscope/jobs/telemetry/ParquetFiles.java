package io.neuroscope.jobs.telemetry;

import io.neuroscope.jobs.error.ContractException;
import io.neuroscope.jobs.error.NeuroScopeErrors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The files of a Parquet telemetry folder, one footer at a time, read only when the folder as a
 * whole could not be read or breaks the contract: which files cannot be read at all (truncated, not
 * Parquet), and which one stores a contract column as a type the contract does not take.
 */
final class ParquetFiles {
  /** A file of a telemetry table that cannot be read, and why (the first line of the error). */
  public record Unreadable(String table, String file, String error) {}

  /**
   * @param readable the folder's data files that can be read, in name order
   * @param unreadable those that cannot
   * @param wrongType the first readable file whose footer breaks the contract, if any
   */
  record Scan(
      List<String> readable, List<Unreadable> unreadable, Optional<ContractException> wrongType) {}

  private ParquetFiles() {}

  /**
   * Reads the footer of every data file of the folder (empty: not a Parquet folder, or no listing).
   */
  static Optional<Scan> scan(SparkSession spark, String table, String folder) {
    Map<String, List<DataType>> columns = TelemetryContract.COLUMNS.get(table);
    List<Path> files = new ArrayList<>();
    try {
      Path root = new Path(folder);
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(root) || fs.exists(new Path(root, "_delta_log"))) return Optional.empty();
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
      while (it.hasNext()) {
        Path p = it.next().getPath();
        String name = p.getName();
        if (!name.startsWith(".") && !name.startsWith("_")) files.add(p); // Spark's hidden files
      }
    } catch (IOException e) {
      return Optional.empty(); // the listing failed: the caller's own error stands
    }
    files.sort(null);
    List<String> readable = new ArrayList<>();
    List<Unreadable> unreadable = new ArrayList<>();
    ContractException wrongType = null;
    for (Path file : files) {
      StructType schema;
      try {
        schema = spark.read().parquet(file.toString()).schema();
      } catch (Exception e) { // AnalysisException or SparkException, undeclared: no footer
        unreadable.add(new Unreadable(table, file.toString(), NeuroScopeErrors.firstLine(e)));
        continue;
      }
      readable.add(file.toString());
      for (StructField f : schema.fields()) {
        List<DataType> accepted = columns.get(f.name());
        if (wrongType == null
            && accepted != null
            && accepted.stream().noneMatch(t -> TelemetryContract.sameType(t, f.dataType()))) {
          wrongType =
              NeuroScopeErrors.fileWrongType(
                  table,
                  file.toString(),
                  f.name(),
                  f.dataType().sql(),
                  TelemetryContract.describe(accepted));
        }
      }
    }
    return Optional.of(new Scan(readable, unreadable, Optional.ofNullable(wrongType)));
  }

  /**
   * The data files of {@code table} (a Delta table's, or a folder's) whose bytes are not a whole
   * Parquet file: shorter than a header and a footer, or without the "PAR1" magic at both ends, or
   * whose footer length points outside the file (a truncated copy), or that cannot be read at all.
   * Two small reads per file, on the driver, in parallel; the values are never read.
   */
  static List<Unreadable> damaged(SparkSession spark, String table, Dataset<Row> rows) {
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    return java.util.Arrays.stream(rows.inputFiles())
        .parallel()
        .map(file -> damage(conf, file).map(why -> new Unreadable(table, file, why)))
        .flatMap(Optional::stream)
        .sorted(java.util.Comparator.comparing(Unreadable::file))
        .toList();
  }

  private static final byte[] MAGIC = "PAR1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** Why the file is not a whole Parquet file, if it is not. */
  private static Optional<String> damage(org.apache.hadoop.conf.Configuration conf, String file) {
    try {
      Path path = new Path(file);
      FileSystem fs = path.getFileSystem(conf);
      long length = fs.getFileStatus(path).getLen();
      if (length < 12) return Optional.of(length + " bytes: too short for a Parquet file");
      byte[] head = new byte[4];
      byte[] tail = new byte[8];
      try (org.apache.hadoop.fs.FSDataInputStream in = fs.open(path)) {
        in.readFully(0, head);
        in.readFully(length - 8, tail);
      }
      if (!java.util.Arrays.equals(head, MAGIC))
        return Optional.of("no Parquet header (not a Parquet file)");
      if (!java.util.Arrays.equals(java.util.Arrays.copyOfRange(tail, 4, 8), MAGIC)) {
        return Optional.of("no Parquet footer at its end (truncated?)");
      }
      long footer =
          java.nio.ByteBuffer.wrap(tail, 0, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt()
              & 0xffffffffL;
      if (footer > length - 12)
        return Optional.of("its footer length points outside the file (truncated?)");
      return Optional.empty();
    } catch (IOException | RuntimeException e) { // a checksum mismatch, a missing file
      return Optional.of(NeuroScopeErrors.firstLine(e));
    }
  }
}
