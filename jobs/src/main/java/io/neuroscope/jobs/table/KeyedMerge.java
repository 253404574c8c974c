package io.neuroscope.jobs.table;

import io.delta.tables.DeltaMergeBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The one shape every incremental write of an output table takes: a MERGE by the table's key of
 * rows flagged {@link #GONE} (delete the row with that key) or not (update it, or insert a new
 * one). When no row is gone and no row's key is in the table (appended epochs, new runs), the MERGE
 * is insert-only, which Delta runs as an anti-join of the rows against the table's keys and an
 * append, where a MERGE with matched clauses first joins the rows with the table to find the files
 * they touch.
 */
public final class KeyedMerge {
  /** The boolean column that flags a row whose key is to be deleted. */
  public static final String GONE = "_gone";

  private KeyedMerge() {}

  /**
   * Merges {@code source} (its columns, {@link #GONE} aside, are the table's) into {@code table}.
   * Call it inside {@link DeltaCommits#retry}: after a conflict it reads the table again.
   *
   * @param source the rows, from {@link #source}
   * @param target the table's rows that any of {@code source}'s keys can match (the whole table, or
   *     the runs the rows belong to): whether a key is there is looked up in these
   */
  public static void execute(
      OutputTables output, OutputTable table, Dataset<Row> source, Dataset<Row> target) {
    boolean insertsOnly =
        source.where(functions.col(GONE)).isEmpty()
            && source
                .as("s")
                .join(target.as("t"), functions.expr(table.mergeCondition()), "left_semi")
                .isEmpty();
    execute(output, table, source, insertsOnly);
  }

  /**
   * Merges {@code source} into {@code table}, as above, where the caller knows whether none of its
   * rows is gone and none of their keys is in the table.
   */
  public static void execute(
      OutputTables output, OutputTable table, Dataset<Row> source, boolean insertsOnly) {
    String key = table.mergeCondition();
    Map<String, Column> values = new LinkedHashMap<>();
    for (String c : source.columns()) {
      if (!c.equals(GONE)) values.put(c, functions.col("s." + c));
    }
    DeltaMergeBuilder merge = output.delta(table).as("t").merge(source.as("s"), key);
    if (insertsOnly) {
      merge.whenNotMatched().insert(values).execute();
    } else {
      merge
          .whenMatched("s." + GONE)
          .delete()
          .whenMatched()
          .update(values)
          .whenNotMatched("NOT s." + GONE)
          .insert(values)
          .execute();
    }
  }

  /**
   * {@code rows} computed once, for a MERGE's source: checkpointed rather than cached, so that its
   * plan no longer reads the table. After a MERGE commits, Delta re-caches every cached plan that
   * reads its target, and a cached source that compared rows with the table was computed again
   * there: six Spark jobs, 1–2 s, after each MERGE of a few rows on the 2-core machine.
   */
  public static Dataset<Row> materialize(Dataset<Row> rows) {
    return rows.localCheckpoint();
  }

  /**
   * A MERGE's source, {@link #materialize materialized}: {@code rows} to upsert, and the rows whose
   * keys are to be deleted (same columns), flagged {@link #GONE}.
   */
  public static Dataset<Row> source(Dataset<Row> rows, Dataset<Row> gone) {
    return materialize(
        rows.withColumn(GONE, functions.lit(false))
            .unionByName(gone.withColumn(GONE, functions.lit(true))));
  }
}
