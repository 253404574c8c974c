package io.neuroscope.sample.bench;

import io.neuroscope.diagnostics.Settings;
import io.neuroscope.jobs.action.Scope;
import io.neuroscope.jobs.cli.Command;
import io.neuroscope.jobs.cli.Invocation;
import io.neuroscope.jobs.cli.Options;
import io.neuroscope.jobs.diagnostics.DiagnosticsAction;
import io.neuroscope.jobs.nightly.DiagnosticsStage;
import io.neuroscope.jobs.summary.SummariesAction;
import io.neuroscope.jobs.table.OutputTable;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.telemetry.Telemetry;
import io.neuroscope.jobs.telemetry.ValidatedTelemetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * {@code bin/neuroscope bench-summaries}: the summaries and hyperparameter effects at archive
 * scale, on loss-level telemetry ({@link LossTelemetry}, 10,000 runs x 30 epochs by default),
 * against a baseline measured in the same run: one plain Spark aggregate over the same diagnostics
 * table (per run and diagnostic, the maximum value), the least any summary must do.
 */
public final class SummariesBenchmark implements Command {
  @Override
  public String name() {
    return "bench-summaries";
  }

  @Override
  public String usage() {
    return String.join(
        "\n",
        "usage: neuroscope bench-summaries [--data bench/loss] [--runs 10000] [--epochs 30] [--per-experiment 1000] [--repeat 2] [--regenerate]",
        "  generates loss-level telemetry if missing, runs the diagnostics, then times summaries + effects against a plain",
        "  Spark aggregate over the same diagnostics table");
  }

  @Override
  public Options options() {
    return Options.of("--data", "--runs", "--epochs", "--per-experiment", "--repeat")
        .withFlags("--regenerate");
  }

  @Override
  public int run(Invocation call) {
    return run(call, call.options());
  }

  private static int run(Invocation call, Map<String, String> opts) {
    String data = opts.getOrDefault("--data", "bench/loss").replaceAll("/+$", "");
    int runs = Integer.parseInt(opts.getOrDefault("--runs", "10000"));
    int epochs = Integer.parseInt(opts.getOrDefault("--epochs", "30"));
    int perExperiment = Integer.parseInt(opts.getOrDefault("--per-experiment", "1000"));
    int repeat = Integer.parseInt(opts.getOrDefault("--repeat", "2"));
    SparkSession spark = call.spark();
    String telemetry = data + "/telemetry";
    String output = data + "/output";
    if (opts.containsKey("--regenerate") || !exists(spark, telemetry + "/epochs/_delta_log")) {
      long t = System.nanoTime();
      LossTelemetry.write(spark, telemetry, runs, epochs, perExperiment, 0);
      System.out.printf(
          Locale.ROOT,
          "generated %d runs x %d epochs of loss telemetry in %d experiments -> %s (%.1f s)%n",
          runs,
          epochs,
          (runs + perExperiment - 1) / perExperiment,
          telemetry,
          secondsSince(t));
    }
    Settings settings = call.settings();
    Telemetry t = Telemetry.fromFolder(spark, telemetry);
    OutputTables out = OutputTables.at(spark, output);
    long started = System.nanoTime();
    DiagnosticsAction.Result d = DiagnosticsStage.run(t, out, settings, false);
    double diagnosticsSeconds = secondsSince(started);

    List<double[]> timings = new ArrayList<>();
    for (int i = 0; i < repeat; i++) {
      long b = System.nanoTime();
      long groups =
          out.read(OutputTable.DIAGNOSTICS)
              .where("layer IS NULL")
              .groupBy("run_id", "diagnostic")
              .agg(functions.max("value"))
              .count();
      double baseline = secondsSince(b);
      long s = System.nanoTime();
      SummariesAction.Result r;
      try (ValidatedTelemetry v = new ValidatedTelemetry(t)) {
        r = new SummariesAction(v, out, settings, Scope.everything("the benchmark")).execute();
      }
      double total = secondsSince(s);
      timings.add(
          new double[] {
            baseline, r.summarySeconds(), r.effectSeconds(), total, groups, r.effectRows()
          });
    }
    System.out.printf(
        Locale.ROOT,
        "%nArchive: %d runs, %d epochs (%d diagnostics rows); diagnostics job %.1f s%n",
        d.runs(),
        d.epochs(),
        d.diagnosticsRows(),
        diagnosticsSeconds);
    System.out.println(
        "repeat | baseline aggregate s | run+experiment summaries s | hyperparameter effects s | "
            + "summaries + effects s | vs baseline");
    for (int i = 0; i < timings.size(); i++) {
      double[] x = timings.get(i);
      System.out.printf(
          Locale.ROOT,
          "%6d | %20.1f | %26.1f | %24.1f | %21.1f | %.1fx%n",
          i + 1,
          x[0],
          x[1],
          x[2],
          x[3],
          x[3] / x[0]);
    }
    System.out.printf(
        Locale.ROOT,
        "(%d run x diagnostic groups; %d effect rows)%n",
        (long) timings.get(0)[4],
        (long) timings.get(0)[5]);
    return 0;
  }

  private static boolean exists(SparkSession spark, String path) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return fs.exists(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double secondsSince(long t) {
    return (System.nanoTime() - t) / 1e9;
  }
}
