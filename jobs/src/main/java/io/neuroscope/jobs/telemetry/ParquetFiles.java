package io.neuroscope.jobs.telemetry;

import io.neuroscope.jobs.error.ContractException;
import io.neuroscope.jobs.error.NeuroScopeErrors;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The files of a Parquet telemetry folder, one footer at a time: which file stores a contract
 * column as a type the contract does not take. Read only on the way to an error, to name the file.
 */
final class ParquetFiles {
  private ParquetFiles() {}

  /**
   * The first file of the folder (in name order) whose footer stores a contract column of {@code
   * table} as another type, as a contract error naming the file and column; empty when every file
   * agrees with the contract (or the folder is not Parquet files).
   */
  static Optional<ContractException> disagreeing(SparkSession spark, String table, String folder) {
    Map<String, List<DataType>> columns = TelemetryContract.COLUMNS.get(table);
    try {
      Path root = new Path(folder);
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(root) || fs.exists(new Path(root, "_delta_log"))) return Optional.empty();
      List<Path> files = new java.util.ArrayList<>();
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
      while (it.hasNext()) {
        Path p = it.next().getPath();
        String name = p.getName();
        if (name.endsWith(".parquet") && !name.startsWith(".") && !name.startsWith("_"))
          files.add(p);
      }
      files.sort(null);
      for (Path file : files) {
        StructType schema;
        try {
          schema = spark.read().parquet(file.toString()).schema();
        } catch (Exception e) { // a footer that cannot be read names its file too
          return Optional.of(NeuroScopeErrors.unreadableTelemetryFile(table, file.toString(), e));
        }
        for (StructField f : schema.fields()) {
          List<DataType> accepted = columns.get(f.name());
          if (accepted != null
              && accepted.stream().noneMatch(t -> TelemetryContract.sameType(t, f.dataType()))) {
            return Optional.of(
                NeuroScopeErrors.fileWrongType(
                    table,
                    file.toString(),
                    f.name(),
                    f.dataType().sql(),
                    TelemetryContract.describe(accepted)));
          }
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // the listing failed: the caller's own error stands
    }
  }
}
