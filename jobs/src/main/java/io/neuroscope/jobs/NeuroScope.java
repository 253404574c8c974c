package io.neuroscope.jobs;

import io.neuroscope.diagnostics.Settings;
import io.neuroscope.diagnostics.spark.NeuroScopeFunctions;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.sql.SparkSession;

/**
 * The command line, the same under bin/neuroscope and spark-submit:
 *
 * <pre>
 * diagnostics (--telemetry PATH | --telemetry-db DATABASE) --output PATH [--conf FILE] [--set key=value]...
 * </pre>
 *
 * Settings are taken from the built-in defaults (the spec), then {@code --conf FILE}, then Spark
 * confs {@code spark.neuroscope.<key>}, then {@code --set}. Keys starting with {@code spark.} in the
 * conf file configure the SparkSession.
 */
public final class NeuroScope {
  static final String USAGE = String.join("\n",
      "usage: neuroscope diagnostics (--telemetry PATH | --telemetry-db DATABASE) --output PATH [--conf FILE] [--set key=value]...",
      "  --telemetry PATH      root folder with runs/, layers/, epochs/, tensors/ (each Delta or Parquet)",
      "  --telemetry-db DB     read the four tables from catalog database DB instead",
      "  --output PATH         folder for the output Delta tables (PATH/diagnostics, PATH/quarantine)",
      "  --conf FILE           a properties file of settings (see conf/neuroscope.properties)",
      "  --set key=value       override one setting, e.g. --set dead_neurons.warning_above=5",
      "usage: neuroscope bench [--data PATH] [--runs 25] [--epochs 10] [--layers 3] [--width 256] [--files 8] [--repeat 3] [--regenerate]",
      "  generates a synthetic archive (default 25 x 10 x 3 x 4 tensors of 256 x 256 = 196.6 M floats) if missing,",
      "  then measures the tensor pass and the whole job against a parquet-hadoop read and an in-memory loop");

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
    System.exit(status);
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
    if (args[0].equals("bench")) return Benchmark.run(options(args, BENCH_OPTIONS, new ArrayList<>()));
    if (!args[0].equals("diagnostics")) throw new IllegalArgumentException("unknown command '" + args[0] + "'\n" + USAGE);
    List<String> sets = new ArrayList<>();
    Map<String, String> opts = options(args, List.of("--telemetry", "--telemetry-db", "--output", "--conf"), sets);
    if (opts.containsKey("--telemetry") == opts.containsKey("--telemetry-db")) {
      throw new IllegalArgumentException("give one of --telemetry PATH or --telemetry-db DATABASE\n" + USAGE);
    }
    if (!opts.containsKey("--output")) throw new IllegalArgumentException("--output PATH is required\n" + USAGE);

    Map<String, String> fromFile = opts.containsKey("--conf") ? readProperties(Path.of(opts.get("--conf"))) : Map.of();
    Map<String, String> sparkConf = new LinkedHashMap<>();
    Map<String, String> settingsFromFile = new LinkedHashMap<>();
    fromFile.forEach((k, v) -> (k.startsWith("spark.") ? sparkConf : settingsFromFile).put(k, v));

    SparkSession spark = Sessions.getOrCreate("NeuroScope diagnostics", sparkConf);
    {
      Settings settings = settings(settingsFromFile, spark, sets);
      NeuroScopeFunctions.register(spark, settings);
      Telemetry telemetry = opts.containsKey("--telemetry")
          ? Telemetry.fromFolder(spark, opts.get("--telemetry"))
          : Telemetry.fromCatalog(spark, opts.get("--telemetry-db"));
      DiagnosticsJob.Result r = DiagnosticsJob.run(spark, telemetry, opts.get("--output"), settings);
      System.out.printf("neuroscope: %d runs, %d epochs, %d tensors (%d values): %d diagnostics rows, %d quarantined rows -> %s%n",
          r.runs(), r.epochs(), r.tensors(), r.valuesRead(), r.diagnosticsRows(), r.quarantined(), opts.get("--output"));
      return 0;
    }
  }

  private static final List<String> BENCH_OPTIONS =
      List.of("--data", "--runs", "--epochs", "--layers", "--width", "--files", "--repeat", "--regenerate", "--phases");

  /** "--name value" pairs after the command; --set may repeat; --regenerate takes no value. */
  private static Map<String, String> options(String[] args, List<String> known, List<String> sets) {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--regenerate") && known.contains(a)) {
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
  static Settings settings(Map<String, String> fromFile, SparkSession spark, List<String> sets) {
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
