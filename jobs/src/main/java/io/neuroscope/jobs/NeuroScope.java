package io.neuroscope.jobs;

import io.neuroscope.jobs.diagnostics.DiagnosticsAction;
import io.neuroscope.jobs.error.ContractException;
import io.neuroscope.jobs.nightly.NightlyAction;
import io.neuroscope.jobs.report.Compare;
import io.neuroscope.jobs.spark.Sessions;
import io.neuroscope.jobs.summary.SummariesAction;
import io.neuroscope.jobs.table.CatalogViews;
import io.neuroscope.jobs.table.TableFolders;
import io.neuroscope.jobs.telemetry.Telemetry;
import io.neuroscope.sample.bench.NightlyBenchmark;
import io.neuroscope.sample.bench.SummariesBenchmark;
import io.neuroscope.sample.bench.TensorPassBenchmark;
import io.neuroscope.diagnostics.Settings;
import io.neuroscope.diagnostics.spark.NeuroScopeFunctions;
import io.neuroscope.sample.DemoReport;
import io.neuroscope.jobs.cli.SqlViews;
import io.neuroscope.sample.Sweep;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The command line, the same under bin/neuroscope and spark-submit:
 *
 * <pre>
 * (diagnostics | summaries | nightly) (--telemetry PATH | --telemetry-db DATABASE) --output PATH [--conf FILE] [--set key=value]...
 * </pre>
 *
 * Settings are taken from the built-in defaults (the spec), then {@code --conf FILE}, then Spark
 * confs {@code spark.neuroscope.<key>}, then {@code --set}. Keys starting with {@code spark.} in the
 * conf file configure the SparkSession.
 */
public final class NeuroScope {
  static final String USAGE = String.join("\n",
      "usage: neuroscope (diagnostics | summaries | nightly [--full]) (--telemetry PATH | --telemetry-db DATABASE) --output PATH [--conf FILE] [--set key=value]...",
      "  diagnostics           the ten diagnostics -> PATH/diagnostics (and PATH/quarantine)",
      "  summaries             from PATH/diagnostics: PATH/run_summary, PATH/experiment_summary, PATH/hyperparameter_effects",
      "  nightly               diagnostics, then summaries and effects, then the tables and views in catalog database",
      "                        'neuroscope' (setting catalog.database); incremental: only runs and epochs new or changed",
      "                        since the last run are computed (--full: all of them); each run is recorded in PATH/nightly_audit",
      "  --telemetry PATH      root folder with runs/, layers/, epochs/, tensors/ (each Delta or Parquet)",
      "  --telemetry-db DB     read the four tables from catalog database DB instead",
      "  --output PATH         folder for the output Delta tables (PATH/diagnostics, PATH/quarantine)",
      "  --conf FILE           a properties file of settings (see conf/neuroscope.properties)",
      "  --set key=value       override one setting, e.g. --set dead_neurons.warning_above=5",
      "usage: neuroscope bench [--data PATH] [--runs 25] [--epochs 10] [--layers 3] [--width 256] [--files 8] [--repeat 3] [--regenerate]",
      "  generates a synthetic archive (default 25 x 10 x 3 x 4 tensors of 256 x 256 = 196.6 M floats) if missing,",
      "  then measures the tensor pass and the whole job against a parquet-hadoop read and an in-memory loop",
      "usage: neuroscope bench-summaries [--data bench/loss] [--runs 10000] [--epochs 30] [--per-experiment 1000] [--repeat 2] [--regenerate]",
      "  generates loss-level telemetry if missing, runs the diagnostics, then times summaries + effects against a plain",
      "  Spark aggregate over the same diagnostics table",
      "usage: neuroscope bench-nightly [--archive loss|tensors] [--data bench/nightly-ARCHIVE] [--runs N] [--epochs E]",
      "  generates a fresh archive (loss: 10,000 runs x 30 epochs; tensors: 196.6 M floats), then times nightly on it,",
      "  again on it unchanged, and again after it grew; with each run's peak heap and peak resident memory",
      "usage: neuroscope demo [--dir demo]",
      "  trains the built-in sweep (13 small networks, real pathologies and healthy baselines) into DIR/telemetry,",
      "  runs the diagnostics into DIR/output and prints a report",
      "usage: neuroscope generate --runs N --epochs E --widths 64,64 --out PATH [--seed 0]",
      "  trains N networks (hyperparameters varied cyclically) and writes their telemetry under PATH (deterministic)",
      "usage: neuroscope sql \"SELECT ...\" [--output demo/output] [--telemetry demo/telemetry] [--rows 100]",
      "  runs a query over the output tables and views and runs, layers, epochs, tensors and prints the result",
      "usage: neuroscope compare [--output demo/output] (--runs a,b[,c...] | --experiment NAME)",
      "  prints the runs side by side: the hyperparameters that differ, losses, each diagnostic's status by epoch range",
      "usage: neuroscope report [--output demo/output] [--telemetry PATH] --html FILE",
      "  writes a self-contained HTML report (heatmaps, loss curves, hyperparameter effects)");

  private NeuroScope() {}

  public static void main(String[] args) {
    int status;
    try {
      status = run(args);
    } catch (ContractException | IllegalArgumentException e) {
      System.err.println("neuroscope: " + e.getMessage());
      status = 2;
    } finally {
      SparkSession.getActiveSession().foreach(s -> {
        s.stop();
        return null;
      });
    }
    // A clean return, not System.exit(0): Databricks JAR tasks and spark-submit expect main to return.
    if (status != 0) System.exit(status);
  }

  /**
   * Runs a command in the active (or a new) SparkSession and leaves it running; returns the exit
   * status. Contract and usage errors throw with a one-line reason.
   */
  static int run(String[] args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.println(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    if (args[0].equals("bench")) return TensorPassBenchmark.run(options(args, BENCH_OPTIONS, new ArrayList<>()));
    if (args[0].equals("demo")) return demo(options(args, List.of("--dir"), new ArrayList<>()));
    if (args[0].equals("generate")) {
      return generate(options(args, List.of("--runs", "--epochs", "--widths", "--out", "--seed"), new ArrayList<>()));
    }
    if (args[0].equals("sql")) return sql(args);
    if (args[0].equals("report")) return report(options(args, List.of("--output", "--telemetry", "--html"), new ArrayList<>()));
    if (args[0].equals("bench-summaries")) {
      return SummariesBenchmark.run(options(args, List.of("--data", "--runs", "--epochs", "--per-experiment", "--repeat",
          "--regenerate"), new ArrayList<>()));
    }
    if (args[0].equals("bench-nightly")) {
      return NightlyBenchmark.run(options(args, List.of("--archive", "--data", "--runs", "--epochs"), new ArrayList<>()));
    }
    if (args[0].equals("compare")) return compare(options(args, List.of("--output", "--runs", "--experiment"), new ArrayList<>()));
    if (!JOBS.contains(args[0])) throw new IllegalArgumentException("unknown command '" + args[0] + "'\n" + USAGE);
    List<String> sets = new ArrayList<>();
    Map<String, String> opts = options(args, args[0].equals("nightly")
        ? List.of("--telemetry", "--telemetry-db", "--output", "--conf", "--full")
        : List.of("--telemetry", "--telemetry-db", "--output", "--conf"), sets);
    if (opts.containsKey("--telemetry") == opts.containsKey("--telemetry-db")) {
      throw new IllegalArgumentException("give one of --telemetry PATH or --telemetry-db DATABASE\n" + USAGE);
    }
    if (!opts.containsKey("--output")) throw new IllegalArgumentException("--output PATH is required\n" + USAGE);

    Map<String, String> fromFile = opts.containsKey("--conf") ? readProperties(Path.of(opts.get("--conf"))) : Map.of();
    Map<String, String> sparkConf = new LinkedHashMap<>();
    Map<String, String> settingsFromFile = new LinkedHashMap<>();
    fromFile.forEach((k, v) -> (k.startsWith("spark.") ? sparkConf : settingsFromFile).put(k, v));

    SparkSession spark = Sessions.getOrCreate("NeuroScope " + args[0], sparkConf);
    Settings settings = settings(settingsFromFile, spark, sets);
    NeuroScopeFunctions.register(spark, settings);
    Telemetry telemetry = opts.containsKey("--telemetry")
        ? Telemetry.fromFolder(spark, opts.get("--telemetry"))
        : Telemetry.fromCatalog(spark, opts.get("--telemetry-db"));
    String output = opts.get("--output");
    switch (args[0]) {
      case "diagnostics" -> printDiagnostics(DiagnosticsAction.run(spark, telemetry, output, settings), output);
      case "summaries" -> printSummaries(SummariesAction.run(spark, telemetry, output, settings), output);
      default -> {
        NightlyAction.Result r = NightlyAction.run(spark, telemetry, output, settings, !opts.containsKey("--full"));
        printDiagnostics(r.diagnostics(), output);
        printSummaries(r.summaries(), output);
        System.out.printf(java.util.Locale.ROOT, "neuroscope: nightly done in %.1f s; registered %s in database %s%n",
            r.seconds(), String.join(", ", r.registered()), settings.string("catalog.database"));
      }
    }
    return 0;
  }

  /** The commands that read telemetry and write the output tables. */
  private static final List<String> JOBS = List.of("diagnostics", "summaries", "nightly");

  private static void printDiagnostics(DiagnosticsAction.Result r, String output) {
    System.out.printf("neuroscope: %d runs, %d epochs, %d tensors (%d values): %d diagnostics rows, %d quarantined rows -> %s%n",
        r.runs(), r.epochs(), r.tensors(), r.valuesRead(), r.diagnosticsRows(), r.quarantined(), output);
    System.out.printf("neuroscope: %s run (%s): %d epochs computed, %d diagnostics rows new or changed%n", r.mode(),
        r.reason(), r.epochsComputed(), r.diagnosticsChanged());
  }

  private static void printSummaries(SummariesAction.Result r, String output) {
    System.out.printf(java.util.Locale.ROOT,
        "neuroscope: run_summary %d runs, experiment_summary %d rows (%.1f s); hyperparameter_effects %d rows (%.1f s) -> %s%n",
        r.runs(), r.experimentRows(), r.summarySeconds(), r.effectRows(), r.effectSeconds(), output);
  }

  /** compare --output PATH (--runs a,b[,c...] | --experiment X): side-by-side tables. */
  private static int compare(Map<String, String> opts) {
    if (opts.containsKey("--runs") == opts.containsKey("--experiment")) {
      throw new IllegalArgumentException("give one of --runs a,b[,c...] or --experiment NAME\n" + USAGE);
    }
    SparkSession spark = Sessions.getOrCreate("NeuroScope compare", Map.of());
    String output = opts.getOrDefault("--output", "demo/output");
    List<String> runs = opts.containsKey("--runs")
        ? java.util.Arrays.stream(opts.get("--runs").split(",")).map(String::trim).filter(r -> !r.isEmpty()).toList()
        : List.of();
    Compare.print(spark, output, runs, opts.get("--experiment"), System.out);
    return 0;
  }

  /** report --output PATH --html FILE [--telemetry PATH]: the self-contained HTML report. */
  private static int report(Map<String, String> opts) {
    if (!opts.containsKey("--html")) throw new IllegalArgumentException("--html FILE is required\n" + USAGE);
    SparkSession spark = Sessions.getOrCreate("NeuroScope report", Map.of());
    Path html = io.neuroscope.jobs.report.HtmlReport.write(spark, opts.getOrDefault("--output", "demo/output"),
        opts.get("--telemetry"), Path.of(opts.get("--html")));
    System.out.println("neuroscope: report written to " + html.toAbsolutePath());
    return 0;
  }

  /** Trains the demo sweep into DIR/telemetry, runs the nightly job into DIR/output and prints the report. */
  private static int demo(Map<String, String> opts) {
    String dir = opts.getOrDefault("--dir", "demo").replaceAll("/+$", "");
    String telemetryDir = dir + "/telemetry";
    String output = dir + "/output";
    SparkSession spark = Sessions.getOrCreate("NeuroScope demo", Map.of());
    List<Sweep.Run> sweep = Sweep.demo(0);
    long started = System.nanoTime();
    Sweep.Summary g = Sweep.generate(spark, sweep, telemetryDir);
    System.err.printf("neuroscope: trained %d runs (%d epochs), wrote %d tensor rows (%d values) to %s in %.1f s%n",
        g.runs(), g.epochs(), g.tensorRows(), g.values(), telemetryDir, g.seconds());
    deleteOutputTables(spark, output); // the demo's output holds this sweep only
    Settings settings = settings(Map.of(), spark, List.of());
    NeuroScopeFunctions.register(spark, settings);
    NightlyAction.Result r = NightlyAction.run(spark, Telemetry.fromFolder(spark, telemetryDir), output, settings);
    System.err.printf("neuroscope: %d runs, %d epochs, %d tensors: %d diagnostics rows, %d hyperparameter effect rows -> %s%n",
        r.diagnostics().runs(), r.diagnostics().epochs(), r.diagnostics().tensors(), r.diagnostics().diagnosticsRows(),
        r.summaries().effectRows(), output);
    Map<String, String> notes = new LinkedHashMap<>();
    for (Sweep.Run run : sweep) notes.put(run.runId(), run.note());
    DemoReport.print(System.out,
        DemoReport.verdicts(spark, telemetryDir, output), notes, telemetryDir, output);
    DemoReport.printEffects(System.out, spark, output);
    System.err.printf("neuroscope: demo done in %.1f s%n", (System.nanoTime() - started) / 1e9);
    return 0;
  }

  private static void deleteOutputTables(SparkSession spark, String output) {
    for (String t : CatalogViews.TABLES) {
      Optional<org.apache.hadoop.fs.Path> p = TableFolders.delta(spark, output + "/" + t);
      try {
        if (p.isPresent()) p.get().getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(p.get(), true);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("cannot clear " + p.get(), e);
      }
    }
  }

  /** Trains N runs with hyperparameters varied cyclically and writes their telemetry under --out. */
  private static int generate(Map<String, String> opts) {
    for (String o : List.of("--runs", "--epochs", "--out")) {
      if (!opts.containsKey(o)) throw new IllegalArgumentException(o + " is required\n" + USAGE);
    }
    int runs = positive(opts, "--runs");
    int epochs = positive(opts, "--epochs");
    List<Integer> widths = new ArrayList<>();
    for (String w : opts.getOrDefault("--widths", "64,64").split(",")) {
      try {
        widths.add(Integer.parseInt(w.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--widths expects positive integers separated by commas, got '"
            + opts.get("--widths") + "'");
      }
      if (widths.get(widths.size() - 1) <= 0) throw new IllegalArgumentException("--widths must be positive");
    }
    long seed;
    try {
      seed = Long.parseLong(opts.getOrDefault("--seed", "0"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--seed expects an integer, got '" + opts.get("--seed") + "'");
    }
    SparkSession spark = Sessions.getOrCreate("NeuroScope generate", Map.of());
    Sweep.Summary g = Sweep.generate(spark,
        Sweep.cyclic(runs, epochs, widths, seed), opts.get("--out"));
    System.out.printf("neuroscope: %d runs, %d epochs, %d tensor rows, %d values (%.1f M) -> %s in %.1f s%n",
        g.runs(), g.epochs(), g.tensorRows(), g.values(), g.values() / 1e6, opts.get("--out"), g.seconds());
    return 0;
  }

  private static int positive(Map<String, String> opts, String key) {
    try {
      int v = Integer.parseInt(opts.get(key));
      if (v > 0) return v;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(key + " expects a positive integer, got '" + opts.get(key) + "'");
  }

  /** sql "QUERY" [--output DIR] [--telemetry DIR] [--rows N]: runs a query over the tables as views. */
  private static int sql(String[] args) {
    if (args.length < 2 || args[1].startsWith("--")) throw new IllegalArgumentException("sql expects a query\n" + USAGE);
    String[] rest = new String[args.length - 1];
    rest[0] = "sql";
    System.arraycopy(args, 2, rest, 1, args.length - 2);
    Map<String, String> opts = options(rest, List.of("--output", "--telemetry", "--rows"), new ArrayList<>());
    int rows = opts.containsKey("--rows") ? positive(opts, "--rows") : 100;
    SparkSession spark = Sessions.getOrCreate("NeuroScope sql", Map.of());
    NeuroScopeFunctions.register(spark, settings(Map.of(), spark, List.of()));
    List<String> views = SqlViews.register(spark,
        opts.getOrDefault("--output", "demo/output"), opts.getOrDefault("--telemetry", "demo/telemetry"));
    if (views.isEmpty()) {
      System.err.println("neuroscope: no tables found under " + opts.getOrDefault("--output", "demo/output") + " or "
          + opts.getOrDefault("--telemetry", "demo/telemetry") + " (run bin/neuroscope demo first)");
    }
    Dataset<Row> result;
    try {
      result = spark.sql(args[1]);
    } catch (RuntimeException e) {
      if (!((Throwable) e instanceof AnalysisException)) throw e;
      throw new IllegalArgumentException("query failed (views: " + String.join(", ", views) + "): " + e.getMessage());
    }
    result.show(rows, false);
    return 0;
  }

  private static final List<String> BENCH_OPTIONS =
      List.of("--data", "--runs", "--epochs", "--layers", "--width", "--files", "--repeat", "--regenerate", "--phases");

  /** "--name value" pairs after the command; --set may repeat; --regenerate takes no value. */
  private static Map<String, String> options(String[] args, List<String> known, List<String> sets) {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if ((a.equals("--regenerate") || a.equals("--full")) && known.contains(a)) {
        opts.put(a, "true");
        continue;
      }
      if (!a.startsWith("--") || i + 1 >= args.length) throw new IllegalArgumentException("bad argument '" + a + "'\n" + USAGE);
      String v = args[++i];
      if (a.equals("--set") && !known.contains("--data")) sets.add(v);
      else if (known.contains(a)) opts.put(a, v);
      else throw new IllegalArgumentException("unknown option '" + a + "'\n" + USAGE);
    }
    return opts;
  }

  /** Defaults, then the conf file, then spark.neuroscope.* confs, then --set. */
  public static Settings settings(Map<String, String> fromFile, SparkSession spark, List<String> sets) {
    Map<String, String> overrides = new LinkedHashMap<>(fromFile);
    String prefix = "spark.neuroscope.";
    for (scala.Tuple2<String, String> kv : spark.sparkContext().getConf().getAll()) {
      if (kv._1().startsWith(prefix)) overrides.put(kv._1().substring(prefix.length()), kv._2());
    }
    for (String s : sets) {
      int eq = s.indexOf('=');
      if (eq <= 0) throw new IllegalArgumentException("--set expects key=value, got '" + s + "'");
      overrides.put(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
    }
    return Settings.defaults().with(overrides);
  }

  private static Map<String, String> readProperties(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read --conf " + file + ": " + e.getMessage());
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (String k : p.stringPropertyNames()) m.put(k, p.getProperty(k).trim());
    return m;
  }
}
