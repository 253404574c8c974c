package io.neuroscope.jobs.table;

import io.delta.tables.DeltaTable;
import io.neuroscope.jobs.action.Scope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keyed upserts of {@code diagnostics} and {@code quarantine}, so that a rerun on the same
 * input changes nothing. Two jobs writing the same output at once are safe: Delta commits one of
 * two conflicting writes, and the other is run again ({@link DeltaCommits#retry}) against the table
 * as the first left it.
 */
public final class KeyedUpserts {
  private static final Logger LOG = LoggerFactory.getLogger(KeyedUpserts.class);

  private static final String KEY = OutputTable.DIAGNOSTICS.mergeCondition();

  private KeyedUpserts() {}

  /**
   * Upserts diagnostics rows by (run_id, epoch, layer, diagnostic). Rows already in the table as
   * they are are left out first: a MERGE rewrites every file its join touches, whatever its clause
   * conditions, so an unchanged rerun would otherwise rewrite the whole table.
   *
   * @param scope the runs {@code rows} cover: the comparison reads only theirs
   * @return the rows inserted, updated or deleted, -1 when this call created the table. Deleted are
   *     the rows whose inputs are gone, so that the table equals a fresh run's: over everything,
   *     every row {@code rows} does not have; for whole runs, their rows not computed now; for an
   *     epoch scope, the rows of its runs' epochs no longer in the telemetry, and of the epochs
   *     computed again the rows not computed now (a tensor deleted or set aside).
   */
  public static long upsertDiagnostics(OutputTables output, Dataset<Row> rows, Scope scope) {
    return DeltaCommits.retry(
        "upsert into " + output.path(OutputTable.DIAGNOSTICS),
        () -> upsertDiagnosticsOnce(output, rows, scope));
  }

  private static long upsertDiagnosticsOnce(OutputTables output, Dataset<Row> rows, Scope scope) {
    SparkSession spark = output.spark();
    String path = output.path(OutputTable.DIAGNOSTICS);
    if (create(rows, path)) return -1;
    Dataset<Row> all = output.read(OutputTable.DIAGNOSTICS);
    Dataset<Row> target =
        scope.isEverything()
            ? all
            : all.join(
                functions.broadcast(
                    spark
                        .createDataset(List.copyOf(scope.runs()), Encoders.STRING())
                        .toDF("run_id")),
                "run_id");
    // One outer join of the rows with the table's (the scope's runs') rows by key tells each row
    // new, changed or as it is, and each table row gone or kept: one scan of the table, where a
    // comparison, a search for gone rows and a check for keys already there scanned it three times.
    Dataset<Row> joined = rows.as("s").join(target.as("t"), functions.expr(KEY), "full_outer");
    Column inRows = functions.col("s.diagnostic").isNotNull();
    Column inTable = functions.col("t.diagnostic").isNotNull();
    // details compared as sorted entries: a map's order is not part of its value (Map.of's differs
    // from JVM to JVM, so with to_json a rerun in another JVM found every row with a two-entry map
    // changed)
    Column same =
        functions.expr(
            "t.value <=> s.value AND t.status <=> s.status AND t.experiment <=> s.experiment "
                + "AND array_sort(map_entries(t.details)) <=> array_sort(map_entries(s.details))");
    Column gone = inTable.and(functions.not(inRows));
    if (scope.byEpoch()) {
      // of an epoch scope's runs, the rows of the epochs kept (only their history's diagnostics
      // computed again) stay; those of epochs computed again or no longer in the telemetry go
      joined =
          joined.join(
              functions.broadcast(
                  scope
                      .known()
                      .select(
                          functions.col("run_id").as("_k_run"),
                          functions.col("epoch").as("_k_epoch"),
                          functions.lit(true).as("_kept"))),
              functions.expr("t.run_id = _k_run AND t.epoch = _k_epoch"),
              "left");
      gone = gone.and(functions.col("_kept").isNull());
    }
    Column upsert = inRows.and(functions.not(inTable.and(same)));
    List<Column> out = new java.util.ArrayList<>();
    for (String c : rows.columns()) {
      out.add(
          functions.when(inRows, functions.col("s." + c)).otherwise(functions.col("t." + c)).as(c));
    }
    out.add(gone.as(KeyedMerge.GONE));
    out.add(functions.not(inTable).as("_new"));
    Dataset<Row> flagged =
        KeyedMerge.materialize(joined.where(gone.or(upsert)).select(out.toArray(Column[]::new)));
    Row counts =
        flagged
            .agg(
                functions.count(functions.lit(1)),
                functions.count(functions.when(functions.not(functions.col("_new")), 1)))
            .first();
    long n = counts.getLong(0);
    // no row to update or delete: Delta runs the MERGE as an anti-join and an append
    boolean insertsOnly = counts.getLong(1) == 0;
    if (n > 0)
      KeyedMerge.execute(output, OutputTable.DIAGNOSTICS, flagged.drop("_new"), insertsOnly);
    return n;
  }

  /**
   * Brings the quarantine to what this run set aside: rows not already there (same table, reason
   * and row) are inserted, keeping the rows already there as they are (their first job and time);
   * rows whose cause is gone are deleted: those of {@code gone}, and those not in {@code rows} that
   * {@code complete} says {@code rows} would hold (a SQL condition on the target's columns, {@code
   * t.}; "true" when {@code rows} is everything set aside). A row set aside more or fewer times
   * than the table holds it (identical bad rows) is held as many times as {@code rows} has it, with
   * this run's job and time. The table is created by the first run that sets a row aside: creating
   * an empty Delta table cost about 1 s, a sixth of a clean 200 M-value run. A table written before
   * a column of {@code rows} existed gains it, filled for its rows by {@code backfill} (column name
   * to its value from the row's other columns).
   *
   * @param gone (table, reason, row) of rows to delete, or null for none
   */
  public static void upsertQuarantine(
      OutputTables output,
      Dataset<Row> rows,
      String complete,
      Dataset<Row> gone,
      Map<String, Column> backfill) {
    String path = output.path(OutputTable.QUARANTINE);
    DeltaCommits.retry(
        "upsert into " + path,
        () -> {
          if (output.exists(OutputTable.QUARANTINE)) {
            addMissingColumns(output, OutputTable.QUARANTINE, rows.schema(), backfill);
          } else if (rows.isEmpty() || create(rows, path)) {
            return;
          }
          // rows whose cause is gone: not set aside again where this run saw everything they could
          // come from, and those named; deleted by a MERGE of their distinct keys (a MERGE that
          // matches, or deletes unmatched target rows, needs each target row matched once, and
          // repeated rows set aside are kept as repeated rows)
          List<String> key = OutputTable.QUARANTINE.key();
          scala.collection.immutable.Seq<String> keySeq =
              scala.jdk.javaapi.CollectionConverters.asScala(key).toList();
          Dataset<Row> stale =
              output
                  .read(OutputTable.QUARANTINE)
                  .as("t")
                  .where(complete)
                  .join(rows, keySeq, "left_anti")
                  .select(key.stream().map(functions::col).toArray(Column[]::new));
          // a row set aside a different number of times than the table holds it (a bad row
          // appended again, or one copy deleted): its copies are replaced, so that the table holds
          // it as often as a fresh run would (the MERGE below inserts only keys it does not find)
          Column[] keyCols = key.stream().map(functions::col).toArray(Column[]::new);
          Dataset<Row> recounted =
              rows.groupBy(keyCols)
                  .agg(functions.count(functions.lit(1)).as("_n"))
                  .join(
                      output
                          .read(OutputTable.QUARANTINE)
                          .groupBy(keyCols)
                          .agg(functions.count(functions.lit(1)).as("_held")),
                      keySeq)
                  .where(functions.col("_n").notEqual(functions.col("_held")))
                  .select(keyCols);
          Dataset<Row> toDelete = stale.unionByName(recounted);
          if (gone != null) toDelete = toDelete.unionByName(gone.select(keyCols));
          if (!toDelete.isEmpty()) {
            output
                .delta(OutputTable.QUARANTINE)
                .as("t")
                .merge(toDelete.distinct().as("s"), OutputTable.QUARANTINE.mergeCondition())
                .whenMatched()
                .delete()
                .execute();
          }
          output
              .delta(OutputTable.QUARANTINE)
              .as("t")
              .merge(rows.as("s"), OutputTable.QUARANTINE.mergeCondition())
              .whenNotMatched()
              .insertAll()
              .execute();
        });
  }

  /**
   * Adds the columns of {@code source} that the table lacks, after the column they follow there,
   * and fills them.
   */
  private static void addMissingColumns(
      OutputTables output, OutputTable table, StructType source, Map<String, Column> backfill) {
    List<String> have = List.of(output.read(table).columns());
    String previous = null;
    Map<String, Column> added = new LinkedHashMap<>();
    for (StructField f : source.fields()) {
      if (!have.contains(f.name())) {
        output
            .spark()
            .sql(
                "ALTER TABLE delta.`"
                    + output.path(table).replace("`", "``")
                    + "` ADD COLUMNS (`"
                    + f.name()
                    + "` "
                    + f.dataType().sql()
                    + (previous == null ? " FIRST" : " AFTER `" + previous + "`")
                    + ")");
        if (backfill.containsKey(f.name())) added.put(f.name(), backfill.get(f.name()));
        LOG.info(
            "{}: added column {} (the table was written by an earlier version)",
            output.path(table),
            f.name());
      }
      previous = f.name();
    }
    if (!added.isEmpty()) output.delta(table).update(added);
  }

  /**
   * Writes {@code rows} as a new table at {@code path} if there is no table there; returns whether
   * it did. False when a table exists, including one that a concurrent job created after this one
   * looked (its write then fails, as "path exists" or a Delta commit conflict): the caller merges
   * into it.
   */
  private static boolean create(Dataset<Row> rows, String path) {
    SparkSession spark = rows.sparkSession();
    if (DeltaTable.isDeltaTable(spark, path)) return false;
    try {
      rows.write().format("delta").mode("errorifexists").save(path);
      return true;
    } catch (Exception e) { // AnalysisException is checked, and Scala throws it undeclared
      if (!DeltaTable.isDeltaTable(spark, path)) throw e;
      LOG.warn(
          "{} was created by a concurrent job while this one was writing it; merging into it instead ({})",
          path,
          e.getClass().getSimpleName());
      return false;
    }
  }
}
