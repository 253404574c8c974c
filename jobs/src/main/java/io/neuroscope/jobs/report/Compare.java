package io.neuroscope.jobs.report;

import static org.apache.spark.sql.functions.col;

import io.neuroscope.diagnostics.Diagnostics;
import io.neuroscope.jobs.error.NeuroScopeErrors;
import io.neuroscope.jobs.table.OutputTable;
import io.neuroscope.jobs.table.OutputTables;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code bin/neuroscope compare}: runs side by side, from {@code run_summary} and the network-level
 * rows of {@code diagnostics}: the hyperparameters that differ, the losses, and each diagnostic's
 * status by epoch range ({@code H1-4 W5-9 C10-20}).
 */
public final class Compare {
  /**
   * More runs than this make a table no terminal shows; an experiment shows its sickest runs first.
   */
  static final int MAX_RUNS = 12;

  private Compare() {}

  public static void print(
      OutputTables output, List<String> runIds, String experiment, PrintStream out) {
    Dataset<Row> summary = table(output, OutputTable.RUN_SUMMARY);
    Dataset<Row> chosen =
        experiment != null
            ? summary.where(col("experiment").equalTo(experiment))
            : summary.where(col("run_id").isin(runIds.toArray()));
    // sickest first: by verdict and findings, then CRITICAL diagnostics, then WARNING ones
    boolean verdicts = List.of(summary.columns()).contains("verdict");
    List<Row> rows =
        chosen
            .orderBy(
                verdicts
                    ? io.neuroscope.jobs.summary.RunSummary.severity(col("verdict")).desc()
                    : org.apache.spark.sql.functions.lit(0),
                verdicts
                    ? org.apache.spark.sql.functions.size(col("findings")).desc()
                    : org.apache.spark.sql.functions.lit(0),
                org.apache.spark.sql.functions.size(col("critical_diagnostics")).desc(),
                org.apache.spark.sql.functions.size(col("warning_diagnostics")).desc(),
                col("run_id"))
            .collectAsList();
    if (experiment != null && rows.isEmpty()) {
      throw NeuroScopeErrors.noSuchRuns(
          "runs of experiment '" + experiment + "'", output.path(OutputTable.RUN_SUMMARY));
    }
    if (experiment == null) {
      TreeSet<String> missing = new TreeSet<>(runIds);
      rows.forEach(r -> missing.remove(r.<String>getAs("run_id")));
      if (!missing.isEmpty()) {
        throw NeuroScopeErrors.noSuchRuns(
            "run " + String.join(", ", missing), output.path(OutputTable.RUN_SUMMARY));
      }
      Map<String, Row> byId = new LinkedHashMap<>();
      rows.forEach(r -> byId.put(r.getAs("run_id"), r));
      rows = runIds.stream().distinct().map(byId::get).toList(); // in the order asked
    }
    int total = rows.size();
    if (rows.size() > MAX_RUNS) rows = rows.subList(0, MAX_RUNS);
    List<String> ids = rows.stream().map(r -> r.<String>getAs("run_id")).toList();

    out.println(
        experiment != null
            ? String.format(
                Locale.ROOT,
                "Experiment %s: %d runs%s",
                experiment,
                total,
                total > MAX_RUNS
                    ? " (the " + MAX_RUNS + " sickest shown; pick runs with --runs)"
                    : "")
            : "Runs: " + String.join(", ", ids));
    out.println();
    printFindings(output, ids, out);

    List<List<String>> table = new ArrayList<>();
    table.add(header("", ids));
    table.add(line("experiment", rows, r -> r.getAs("experiment")));
    if (verdicts) table.add(line("verdict", rows, r -> r.getAs("verdict")));
    table.add(line("spec worst status", rows, r -> r.getAs("health")));
    Map<String, List<String>> params = new TreeMap<>();
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      if (r.isNullAt(r.fieldIndex("params"))) continue;
      Map<String, String> m = r.getJavaMap(r.fieldIndex("params"));
      for (Map.Entry<String, String> e : m.entrySet()) {
        params
            .computeIfAbsent(
                e.getKey(), x -> new ArrayList<>(java.util.Collections.nCopies(ids.size(), "-")))
            .set(i, e.getValue());
      }
    }
    List<String> same = new ArrayList<>();
    for (Map.Entry<String, List<String>> p : params.entrySet()) {
      if (new TreeSet<>(p.getValue()).size() > 1) {
        List<String> l = new ArrayList<>(List.of(p.getKey()));
        l.addAll(p.getValue());
        table.add(l);
      } else {
        same.add(p.getKey() + "=" + p.getValue().get(0));
      }
    }
    table.add(line("epochs", rows, r -> String.valueOf(r.<Object>getAs("epochs"))));
    table.add(
        line(
            "train loss final / best",
            rows,
            r -> num(r, "final_train_loss") + " / " + num(r, "best_train_loss")));
    table.add(
        line(
            "val loss final / best@epoch",
            rows,
            r ->
                num(r, "final_val_loss")
                    + " / "
                    + num(r, "best_val_loss")
                    + "@"
                    + r.getAs("best_val_epoch")));
    print(table, out);
    if (!same.isEmpty()) out.println("  same in all: " + String.join(", ", same));
    out.println();

    Map<String, Map<String, StringBuilder>> ranges = statusRanges(output, ids);
    List<List<String>> diag = new ArrayList<>();
    diag.add(header("status by epoch", ids));
    for (String d : Diagnostics.names()) {
      List<String> l = new ArrayList<>(List.of(d));
      for (String id : ids) {
        StringBuilder b = ranges.getOrDefault(id, Map.of()).get(d);
        l.add(b == null ? "-" : b.toString());
      }
      diag.add(l);
    }
    print(diag, out);
    out.println(
        "  H healthy, W warning, C critical, ? unknown; e.g. W5-9 = WARNING from epoch 5 to 9");
  }

  /**
   * Per run, its verdict and findings in words: causes, each with its symptoms; "no finding" for a
   * healthy run.
   */
  private static void printFindings(OutputTables output, List<String> ids, PrintStream out) {
    java.util.Optional<Dataset<Row>> findings = output.readIfExists(OutputTable.FINDINGS);
    if (findings.isEmpty()) {
      out.println(
          "Findings: not computed yet for "
              + output.root()
              + " (run bin/neuroscope nightly or summaries)");
      out.println();
      return;
    }
    Map<String, List<Row>> byRun = new LinkedHashMap<>();
    for (String id : ids) byRun.put(id, new ArrayList<>());
    for (Row r :
        findings
            .get()
            .where(col("run_id").isin(ids.toArray()))
            .orderBy(col("run_id"), col("onset_epoch"), col("problem"))
            .collectAsList()) byRun.get(r.<String>getAs("run_id")).add(r);
    out.println("Findings:");
    for (Map.Entry<String, List<Row>> e : byRun.entrySet()) {
      List<Row> fs = e.getValue();
      String verdict =
          io.neuroscope.findings.Verdict.ofSeverities(
                  fs.stream().map(r -> r.<String>getAs("severity")).toList())
              .name();
      out.println("  " + e.getKey() + ": " + verdict + (fs.isEmpty() ? " (no finding)" : ""));
      for (Row c : fs) {
        if (!"cause".equals(c.getAs("role"))) continue;
        out.println("    " + c.getAs("severity") + "  " + c.getAs("summary"));
        List<String> symptoms =
            fs.stream()
                .filter(x -> c.getAs("problem").equals(x.getAs("explained_by")))
                .map(x -> x.<String>getAs("problem") + " from epoch " + x.getAs("onset_epoch"))
                .toList();
        if (!symptoms.isEmpty()) out.println("      with symptoms: " + String.join(", ", symptoms));
      }
    }
    out.println();
  }

  /** Per run and diagnostic, the statuses of its epochs run-length encoded: "H1-4 W5-9 C10". */
  private static Map<String, Map<String, StringBuilder>> statusRanges(
      OutputTables output, List<String> ids) {
    Map<String, Map<String, StringBuilder>> out = new TreeMap<>();
    Map<String, String[]> open = new TreeMap<>(); // run+diagnostic -> {letter, first, last}
    List<Row> rows =
        table(output, OutputTable.DIAGNOSTICS)
            .where(col("layer").isNull().and(col("run_id").isin(ids.toArray())))
            .select("run_id", "diagnostic", "epoch", "status")
            .orderBy("run_id", "diagnostic", "epoch")
            .collectAsList();
    for (Row r : rows) {
      String key = r.getString(0) + "\u0000" + r.getString(1);
      String letter =
          switch (r.getString(3)) {
            case "HEALTHY" -> "H";
            case "WARNING" -> "W";
            case "CRITICAL" -> "C";
            default -> "?";
          };
      String epoch = String.valueOf(r.getInt(2));
      String[] cur = open.get(key);
      if (cur != null && cur[0].equals(letter)) {
        cur[2] = epoch;
        continue;
      }
      if (cur != null) append(out, key, cur);
      open.put(key, new String[] {letter, epoch, epoch});
    }
    open.forEach((k, cur) -> append(out, k, cur));
    return out;
  }

  private static void append(
      Map<String, Map<String, StringBuilder>> out, String key, String[] range) {
    String[] parts = key.split("\u0000");
    StringBuilder b =
        out.computeIfAbsent(parts[0], k -> new TreeMap<>())
            .computeIfAbsent(parts[1], k -> new StringBuilder());
    if (b.length() > 0) b.append(' ');
    b.append(range[0]).append(range[1]);
    if (!range[1].equals(range[2])) b.append('-').append(range[2]);
  }

  private static Dataset<Row> table(OutputTables output, OutputTable t) {
    return output
        .readIfExists(t)
        .orElseThrow(
            () ->
                NeuroScopeErrors.missingOutputTable(
                    t.tableName(),
                    output.path(t),
                    "run bin/neuroscope nightly, or summaries after diagnostics, first"));
  }

  private static List<String> header(String first, List<String> ids) {
    List<String> l = new ArrayList<>(List.of(first));
    l.addAll(ids);
    return l;
  }

  private static List<String> line(
      String name, List<Row> rows, java.util.function.Function<Row, String> f) {
    List<String> l = new ArrayList<>(List.of(name));
    for (Row r : rows) l.add(String.valueOf(f.apply(r)));
    return l;
  }

  private static String num(Row r, String column) {
    Object v = r.getAs(column);
    return v == null ? "-" : String.format(Locale.ROOT, "%.4g", (Double) v);
  }

  private static void print(List<List<String>> table, PrintStream out) {
    int[] w = new int[table.get(0).size()];
    for (List<String> l : table) {
      for (int i = 0; i < l.size(); i++) w[i] = Math.max(w[i], l.get(i).length());
    }
    for (List<String> l : table) {
      StringBuilder b = new StringBuilder(" ");
      for (int i = 0; i < l.size(); i++)
        b.append(' ').append(String.format("%-" + w[i] + "s", l.get(i))).append(' ');
      out.println(b.toString().stripTrailing());
    }
  }
}
