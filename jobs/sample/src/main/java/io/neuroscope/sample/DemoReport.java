package io.neuroscope.sample;

import static org.apache.spark.sql.functions.col;

import io.neuroscope.diagnostics.Diagnostics;
import io.neuroscope.diagnostics.Status;
import io.neuroscope.jobs.report.HtmlReport;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The demo's terminal report over the job's {@code diagnostics} table: per run, each diagnostic's
 * worst network-level status over the epochs and the epoch it first turned WARNING or CRITICAL;
 * then the main findings in words.
 */
public final class DemoReport {
  /** The ten diagnostics in the spec's order, each with the report's short column header. */
  static final List<String> DIAGNOSTICS = Diagnostics.names();

  private static final List<String> HEADERS = HtmlReport.SHORT_NAMES;

  /** One diagnostic of one run over its epochs. */
  public record Verdict(
      String status,
      Integer firstBadEpoch,
      int worstEpoch,
      double worstValue,
      Map<String, Double> worstDetails) {
    public boolean bad() {
      return Status.valueOf(status).isProblem();
    }
  }

  /** A run's verdicts, by diagnostic. */
  public record RunVerdicts(
      String runId, String experiment, int epochs, Map<String, Verdict> verdicts) {}

  private DemoReport() {}

  static int rank(String status) {
    return Status.valueOf(status).severity();
  }

  /**
   * Reads the network-level rows of {@code OUTPUT/diagnostics} and summarises them per run and
   * diagnostic, runs in the order of {@code started_at} in the telemetry's {@code runs} (then
   * run_id).
   */
  public static List<RunVerdicts> verdicts(SparkSession spark, String telemetry, String output) {
    List<Row> rows =
        spark
            .read()
            .format("delta")
            .load(output + "/diagnostics")
            .where(col("layer").isNull())
            .select("run_id", "experiment", "epoch", "diagnostic", "value", "status", "details")
            .orderBy("run_id", "diagnostic", "epoch")
            .collectAsList();
    Map<String, Long> order = new HashMap<>();
    for (Row r :
        spark
            .read()
            .format("delta")
            .load(telemetry + "/runs")
            .select("run_id", "started_at")
            .orderBy(col("started_at").asc_nulls_last(), col("run_id"))
            .collectAsList()) {
      order.put(r.getString(0), (long) order.size());
    }
    Map<String, String> experiments = new HashMap<>();
    Map<String, TreeMap<Integer, Boolean>> epochs = new HashMap<>();
    Map<String, Map<String, Verdict>> byRun =
        new TreeMap<>(
            (a, b) -> {
              int c =
                  Long.compare(
                      order.getOrDefault(a, Long.MAX_VALUE), order.getOrDefault(b, Long.MAX_VALUE));
              return c != 0 ? c : a.compareTo(b);
            });
    for (Row r : rows) {
      String run = r.getString(0);
      experiments.put(run, r.isNullAt(1) ? "" : r.getString(1));
      epochs.computeIfAbsent(run, k -> new TreeMap<>()).put(r.getInt(2), true);
      Map<String, Verdict> v = byRun.computeIfAbsent(run, k -> new LinkedHashMap<>());
      String diagnostic = r.getString(3);
      String status = r.getString(5);
      Verdict old = v.get(diagnostic);
      int epoch = r.getInt(2);
      Integer firstBad = old == null ? null : old.firstBadEpoch();
      if (firstBad == null && Status.valueOf(status).isProblem()) {
        firstBad = epoch;
      }
      if (old == null || rank(status) > rank(old.status())) {
        Map<String, Double> details = r.isNullAt(6) ? Map.of() : r.getJavaMap(6);
        v.put(
            diagnostic,
            new Verdict(status, firstBad, epoch, r.getDouble(4), new HashMap<>(details)));
      } else {
        v.put(
            diagnostic,
            new Verdict(
                old.status(), firstBad, old.worstEpoch(), old.worstValue(), old.worstDetails()));
      }
    }
    List<RunVerdicts> out = new ArrayList<>();
    byRun.forEach(
        (run, v) -> out.add(new RunVerdicts(run, experiments.get(run), epochs.get(run).size(), v)));
    return out;
  }

  /**
   * The {@code findings} rows of each run (null where the output has no findings table), by run id,
   * causes first.
   */
  public static Map<String, List<Row>> findings(SparkSession spark, String output) {
    String path = output + "/findings";
    if (!io.delta.tables.DeltaTable.isDeltaTable(spark, path)) return null;
    Map<String, List<Row>> out = new HashMap<>();
    for (Row r :
        spark
            .read()
            .format("delta")
            .load(path)
            .orderBy(col("run_id"), col("role"), col("onset_epoch"), col("problem"))
            .collectAsList()) out.computeIfAbsent(r.getAs("run_id"), k -> new ArrayList<>()).add(r);
    return out;
  }

  /** Per run: its verdict, its causes in words, each cause's symptoms. */
  private static void printVerdicts(
      PrintStream out,
      List<RunVerdicts> runs,
      Map<String, List<Row>> findings,
      Map<String, String> notes,
      String output) {
    if (findings == null) {
      out.println("Verdicts: no findings table in " + output + " (run bin/neuroscope summaries)");
      return;
    }
    long sick = runs.stream().filter(r -> findings.containsKey(r.runId())).count();
    out.printf(
        Locale.ROOT,
        "Verdicts (from %s/findings): %d runs with findings, %d HEALTHY%n",
        output,
        sick,
        runs.size() - sick);
    for (RunVerdicts r : runs) {
      List<Row> fs = findings.getOrDefault(r.runId(), List.of());
      String verdict =
          io.neuroscope.findings.Verdict.ofSeverities(
                  fs.stream().map(f -> f.<String>getAs("severity")).toList())
              .name();
      String note = notes.get(r.runId());
      out.printf(
          Locale.ROOT, "  %-8s %s%s%n", verdict, r.runId(), note == null ? "" : " (" + note + ")");
      for (Row c : fs) {
        if (!"cause".equals(c.getAs("role"))) continue;
        List<String> symptoms =
            fs.stream()
                .filter(x -> c.getAs("problem").equals(x.getAs("explained_by")))
                .map(x -> x.<String>getAs("problem").replace('_', ' '))
                .toList();
        out.println(
            "           "
                + c.getAs("summary")
                + (symptoms.isEmpty() ? "" : "; with " + String.join(", ", symptoms)));
      }
    }
  }

  /** Prints the report; {@code notes} (may be empty) says per run id what the run is. */
  public static void print(
      PrintStream out,
      List<RunVerdicts> runs,
      Map<String, List<Row>> findings,
      Map<String, String> notes,
      String telemetry,
      String output) {
    int idWidth = Math.max(3, runs.stream().mapToInt(r -> r.runId().length()).max().orElse(3));
    StringBuilder header = new StringBuilder(pad("run", idWidth)).append(' ');
    header.append(String.format(Locale.ROOT, "%3s", "ep"));
    for (String h : HEADERS) {
      header.append(String.format(Locale.ROOT, " %8s", h));
    }
    out.println();
    out.println("NeuroScope demo: " + runs.size() + " training runs");
    out.println();
    printVerdicts(out, runs, findings, notes, output);
    out.println();
    out.println(
        "The spec's statuses behind them (network level, worst over the epochs; the diagnostics table):");
    out.println();
    String experiment = null;
    for (RunVerdicts r : runs) {
      if (!r.experiment().equals(experiment)) {
        experiment = r.experiment();
        out.println((experiment.isEmpty() ? "(no experiment)" : "experiment " + experiment));
        out.println(header);
      }
      StringBuilder line = new StringBuilder(pad(r.runId(), idWidth)).append(' ');
      line.append(String.format(Locale.ROOT, "%3d", r.epochs()));
      for (String d : DIAGNOSTICS) {
        line.append(String.format(Locale.ROOT, " %8s", cell(r.verdicts().get(d))));
      }
      out.println(line);
    }
    out.println();
    out.println(
        "Legend: ok = HEALTHY in every epoch it could be computed; W@e / C@e = worst status WARNING / CRITICAL,");
    out.println(
        "first WARNING or CRITICAL at epoch e; ? = UNKNOWN throughout (inputs missing or history too short).");
    out.println(
        "Columns: dead = dead_neurons, vanish = vanishing_gradients, explode = exploding_gradients,");
    out.println(
        "satur = activation_saturation, snr = gradient_snr, update = weight_update_ratio, plateau,");
    out.println(
        "overfit = overfitting, weights = weight_health, progress = learning_progress; ep = epochs.");
    out.println();
    out.println();
    out.println(
        "Tables (Delta): telemetry in "
            + telemetry
            + "/{runs,layers,epochs,tensors}; diagnostics in "
            + output
            + "/diagnostics (one row per run, epoch, layer and diagnostic; layer is null at network level).");
    out.println("Query them with SQL, e.g.:");
    out.println(
        "  bin/neuroscope sql \"SELECT run_id, epoch, value, status FROM diagnostics WHERE diagnostic = 'dead_neurons'"
            + " AND layer IS NULL AND status <> 'HEALTHY' ORDER BY run_id, epoch\"");
    out.println(
        "  bin/neuroscope sql \"SELECT r.run_id, r.params['learning_rate'] AS lr, d.epoch, d.value FROM runs r"
            + " JOIN diagnostics d USING (run_id) WHERE d.diagnostic = 'overfitting' AND d.layer IS NULL ORDER BY 1, 3\"");
    out.println(
        "(views: diagnostics, quarantine if any, run_summary, experiment_summary, hyperparameter_effects,"
            + " diagnostics_wide, run_health, runs, layers, epochs, tensors; add --output DIR / --telemetry DIR for other folders)");
    out.println("  bin/neuroscope compare --experiment depth-ladder");
  }

  /**
   * The strongest hyperparameter effects of each experiment: per experiment, the rows with p < 0.05
   * on at least 5 runs, strongest first, one per (hyperparameter, diagnostic).
   */
  public static void printEffects(PrintStream out, SparkSession spark, String output) {
    String path = output + "/hyperparameter_effects";
    if (!io.delta.tables.DeltaTable.isDeltaTable(spark, path)) return;
    spark.read().format("delta").load(path).createOrReplaceTempView("demo_effects");
    List<Row> rows =
        spark
            .sql(
                "SELECT scope, hyperparameter, coalesce(scale, '') AS scale, target, measure, n, strength,"
                    + " pearson, spearman, eta_squared, least(pearson_p, spearman_p, anova_p) AS p FROM ("
                    + " SELECT *, row_number() OVER (PARTITION BY scope, hyperparameter, target ORDER BY strength DESC) AS k"
                    + " FROM demo_effects WHERE scope_type = 'experiment' AND reason IS NULL AND target <> 'val_loss'"
                    + "   AND least(pearson_p, spearman_p, anova_p) < 0.05)"
                    + " WHERE k = 1 ORDER BY scope, strength DESC")
            .collectAsList();
    out.println();
    out.println(
        "Strongest hyperparameter effects per experiment (p < 0.05; strength = max(|Pearson|, |Spearman|)"
            + " or sqrt(omega^2)):");
    String scope = null;
    int shown = 0;
    for (Row r : rows) {
      if (!r.getString(0).equals(scope)) {
        scope = r.getString(0);
        shown = 0;
        out.println("  " + scope);
      }
      if (shown++ >= 3) continue;
      String stat =
          r.isNullAt(7)
              ? String.format(Locale.ROOT, "eta^2 %.2f", r.getDouble(9))
              : String.format(Locale.ROOT, "r %+.2f, rho %+.2f", r.getDouble(7), r.getDouble(8));
      out.printf(
          Locale.ROOT,
          "    %-18s %-6s -> %-32s strength %.2f (%s, p %.1g, n %d)%n",
          r.getString(1),
          r.getString(2),
          r.getString(3) + "." + r.getString(4),
          r.getDouble(6),
          stat,
          r.getDouble(10),
          r.getLong(5));
    }
    out.println(
        "  (all of them: bin/neuroscope sql \"SELECT * FROM hyperparameter_effects WHERE reason IS NULL"
            + " ORDER BY strength DESC\")");
  }

  static String cell(Verdict v) {
    if (v == null || v.status().equals("UNKNOWN")) {
      return "?";
    }
    if (v.status().equals("HEALTHY")) {
      return "ok";
    }
    return v.status().charAt(0) + "@" + v.firstBadEpoch();
  }

  private static String num(double x) {
    if (!Double.isFinite(x)) {
      return Double.toString(x);
    }
    double a = Math.abs(x);
    return a != 0 && (a < 1e-2 || a >= 1e4)
        ? String.format(Locale.ROOT, "%.1e", x)
        : String.format(Locale.ROOT, "%.3g", x);
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
