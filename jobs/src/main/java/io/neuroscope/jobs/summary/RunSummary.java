package io.neuroscope.jobs.summary;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

import io.neuroscope.diagnostics.Diagnostics;
import io.neuroscope.diagnostics.Status;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * {@code run_summary}: one row per run of the diagnostics table, with its losses and, per
 * diagnostic, worst status, first WARNING and CRITICAL epochs, final and largest value and share of
 * CRITICAL epochs (README, "Summaries and hyperparameter effects"). Network-level rows only.
 */
public final class RunSummary {
  /** The per-diagnostic measures, each a column {@code <diagnostic>_<measure>}. */
  public static final List<String> MEASURES =
      List.of("status", "first_warning", "first_critical", "final", "max", "critical_share");

  private static final String EPOCHS = "epochs";
  private static final String FIRST_EPOCH = "first_epoch";
  private static final String LAST_EPOCH = "last_epoch";

  private RunSummary() {}

  /**
   * A status column's {@link Status#severity()}: UNKNOWN 0 < HEALTHY 1 < WARNING 2 < CRITICAL 3.
   */
  public static Column severity(Column status) {
    Column c = null;
    for (Status s : Status.values()) {
      if (s == Status.UNKNOWN) continue;
      c =
          c == null
              ? when(status.equalTo(s.name()), s.severity())
              : c.when(status.equalTo(s.name()), s.severity());
    }
    return c.otherwise(Status.UNKNOWN.severity());
  }

  static Column statusOf(Column severity) {
    Column c = null;
    for (Status s : Status.values()) {
      if (s == Status.UNKNOWN) continue;
      c =
          c == null
              ? when(severity.equalTo(s.severity()), s.name())
              : c.when(severity.equalTo(s.severity()), s.name());
    }
    return c.otherwise(Status.UNKNOWN.name());
  }

  /**
   * One row per (run, diagnostic): experiment, run_id, diagnostic, status, first_warning,
   * first_critical, final, max, critical_share, epochs, first_epoch, last_epoch.
   */
  public static Dataset<Row> perDiagnostic(Dataset<Row> diagnostics) {
    Column sev = severity(col("status"));
    Column known = col("status").notEqual("UNKNOWN");
    // A run has one experiment (the runs table's), so grouping by it changes no group; it keeps
    // every
    // buffer fixed-width, so Spark hashes the 3M rows instead of sorting them (first(string) forces
    // a sort).
    return diagnostics
        .where(col("layer").isNull())
        .groupBy("run_id", "diagnostic", "experiment")
        .agg(
            statusOf(max(sev)).as("status"),
            min(when(sev.geq(2), col("epoch"))).as("first_warning"),
            min(when(sev.equalTo(3), col("epoch"))).as("first_critical"),
            // max_by ignores rows whose ordering is null: the last epoch whose status is known
            expr("max_by(value, CASE WHEN status <> 'UNKNOWN' THEN epoch END)").as("final"),
            max(when(known.and(col("value").isNaN().equalTo(false)), col("value"))).as("max"),
            count(when(sev.equalTo(3), lit(1))).divide(count(lit(1))).as("critical_share"),
            count(lit(1)).cast("int").as("epochs"),
            min("epoch").as("first_epoch"),
            max("epoch").as("last_epoch"));
  }

  /**
   * The run_summary table from {@link #perDiagnostic} rows, the sound {@code runs} and {@code
   * epochs} rows of the telemetry, and the runs' {@link Findings#perRun} rows (a run without any is
   * HEALTHY).
   */
  public static Dataset<Row> build(
      Dataset<Row> perDiagnostic,
      Dataset<Row> runs,
      Dataset<Row> epochs,
      Dataset<Row> findingsPerRun) {
    return fromWide(wide(perDiagnostic), runs, epochs, findingsPerRun);
  }

  /**
   * One row per run of {@link #perDiagnostic} rows: experiment, run_id, epochs, first_epoch,
   * last_epoch and a {@code <diagnostic>_<measure>} column per diagnostic and {@link #MEASURES}
   * measure, the status as its severity (null where the run has no row for the diagnostic).
   */
  public static Dataset<Row> wide(Dataset<Row> perDiagnostic) {
    List<String> names = Diagnostics.names();
    // One hash aggregate per run, each (diagnostic, measure) the value of the run's one row for
    // that
    // diagnostic; the status as its severity, so that no buffer is a string (which would sort the
    // rows).
    List<Column> aggs =
        new ArrayList<>(
            List.of(
                max(EPOCHS).as(EPOCHS),
                min(FIRST_EPOCH).as(FIRST_EPOCH),
                max(LAST_EPOCH).as(LAST_EPOCH)));
    for (String d : names) {
      Column mine = col("diagnostic").equalTo(d);
      for (String m : MEASURES) {
        Column value = m.equals("status") ? severity(col("status")) : col(m);
        aggs.add(first(when(mine, value), true).as(column(d, m)));
      }
    }
    return perDiagnostic
        .groupBy("run_id", "experiment")
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
  }

  /**
   * The {@link #wide} columns of runs, read back from their run_summary rows: what {@link #wide}
   * gives for their diagnostics rows, as long as those did not change since the rows were written.
   */
  public static Dataset<Row> wideOf(Dataset<Row> runSummary) {
    List<Column> cols = new ArrayList<>();
    for (String name : wideColumns()) {
      Column c = col(name);
      cols.add((name.endsWith("_status") ? when(c.isNotNull(), severity(c)) : c).as(name));
    }
    return runSummary.select(cols.toArray(Column[]::new));
  }

  /** Whether {@link #wideOf} can read these rows (a table an earlier version wrote may not). */
  static boolean hasWideColumns(Dataset<Row> runSummary) {
    return List.of(runSummary.columns()).containsAll(wideColumns());
  }

  /** The columns of {@link #wide}, in its order. */
  private static List<String> wideColumns() {
    List<String> out =
        new ArrayList<>(List.of("run_id", "experiment", EPOCHS, FIRST_EPOCH, LAST_EPOCH));
    for (String d : Diagnostics.names()) {
      for (String m : MEASURES) out.add(column(d, m));
    }
    return out;
  }

  private static String column(String diagnostic, String measure) {
    return diagnostic + "_" + measure;
  }

  /**
   * The run_summary table from {@link #wide} rows, the sound {@code runs} and {@code epochs} rows
   * of the telemetry, and the runs' {@link Findings#perRun} rows.
   */
  static Dataset<Row> fromWide(
      Dataset<Row> wide, Dataset<Row> runs, Dataset<Row> epochs, Dataset<Row> findingsPerRun) {
    List<String> names = Diagnostics.names();
    List<Column> out =
        new ArrayList<>(
            List.of(
                col("experiment"),
                col("run_id"),
                functions.coalesce(col("verdict"), lit(Status.HEALTHY.name())).as("verdict"),
                functions
                    .coalesce(col("findings"), functions.array().cast("array<string>"))
                    .as("findings"),
                functions
                    .coalesce(col("finding_onsets"), functions.map().cast("map<string,int>"))
                    .as("finding_onsets"),
                col("params"),
                col("epochs"),
                col("first_epoch"),
                col("last_epoch"),
                col("final_train_loss"),
                col("best_train_loss"),
                col("best_train_epoch"),
                col("final_val_loss"),
                col("best_val_loss"),
                col("best_val_epoch")));
    List<Column> severities = new ArrayList<>();
    List<Column> critical = new ArrayList<>();
    List<Column> warning = new ArrayList<>();
    for (String d : names) {
      Column sev = col(d + "_status");
      for (String m : MEASURES) {
        out.add(
            m.equals("status")
                ? when(sev.isNotNull(), statusOf(sev)).as(d + "_status")
                : col(d + "_" + m));
      }
      severities.add(sev);
      critical.add(when(sev.equalTo(3), lit(d)));
      warning.add(when(sev.equalTo(2), lit(d)));
    }
    out.add(
        statusOf(org.apache.spark.sql.functions.greatest(severities.toArray(Column[]::new)))
            .as("health"));
    out.add(
        org.apache
            .spark
            .sql
            .functions
            .array_compact(array(critical.toArray(Column[]::new)))
            .as("critical_diagnostics"));
    out.add(
        org.apache
            .spark
            .sql
            .functions
            .array_compact(array(warning.toArray(Column[]::new)))
            .as("warning_diagnostics"));

    return wide.join(losses(epochs), new String[] {"run_id"}, "left")
        .join(runs.select("run_id", "params"), new String[] {"run_id"}, "left")
        .join(findingsPerRun, new String[] {"run_id"}, "left")
        .select(out.toArray(Column[]::new));
  }

  /**
   * Final and best train and val losses per run; "best" is the lowest finite value, earliest on
   * ties.
   */
  public static Dataset<Row> losses(Dataset<Row> epochs) {
    Column trainFinite = finite(col("train_loss"));
    Column valFinite = finite(col("val_loss"));
    return epochs
        .groupBy("run_id")
        .agg(
            expr("max_by(train_loss, epoch)").as("final_train_loss"),
            min(when(
                    trainFinite,
                    org.apache.spark.sql.functions.struct(col("train_loss"), col("epoch"))))
                .as("bt"),
            expr("max_by(val_loss, CASE WHEN val_loss IS NOT NULL THEN epoch END)")
                .as("final_val_loss"),
            min(when(
                    valFinite,
                    org.apache.spark.sql.functions.struct(col("val_loss"), col("epoch"))))
                .as("bv"))
        .select(
            col("run_id"),
            col("final_train_loss"),
            col("bt.train_loss").as("best_train_loss"),
            col("bt.epoch").as("best_train_epoch"),
            col("final_val_loss"),
            col("bv.val_loss").as("best_val_loss"),
            col("bv.epoch").as("best_val_epoch"));
  }

  static Column finite(Column c) {
    return c.isNotNull()
        .and(c.isNaN().equalTo(false))
        .and(org.apache.spark.sql.functions.abs(c).notEqual(Double.POSITIVE_INFINITY));
  }
}
