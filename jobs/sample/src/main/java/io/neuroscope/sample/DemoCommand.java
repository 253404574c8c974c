package io.neuroscope.sample;

import io.neuroscope.diagnostics.Settings;
import io.neuroscope.jobs.cli.Command;
import io.neuroscope.jobs.cli.Invocation;
import io.neuroscope.jobs.cli.Options;
import io.neuroscope.jobs.nightly.NightlyAction;
import io.neuroscope.jobs.table.OutputTable;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.table.TableFolders;
import io.neuroscope.jobs.telemetry.TelemetrySource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * demo [--dir demo]: trains the demo sweep, runs the nightly job on its telemetry and prints the
 * report.
 */
public final class DemoCommand implements Command {
  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String usage() {
    return String.join(
        "\n",
        "usage: neuroscope demo [--dir demo]",
        "  trains the built-in sweep (small networks, real pathologies and healthy baselines) into DIR/telemetry,",
        "  runs the nightly job into DIR/output and prints a report");
  }

  @Override
  public Options options() {
    return Options.of("--dir");
  }

  @Override
  public int run(Invocation call) {
    String dir = call.option("--dir", "demo").replaceAll("/+$", "");
    String telemetryDir = dir + "/telemetry";
    SparkSession spark = call.spark();
    Settings settings = call.settings();
    OutputTables output = OutputTables.at(spark, dir + "/output");
    List<Sweep.Run> sweep = Sweep.demo(0);
    long started = System.nanoTime();
    Sweep.Summary g = Sweep.generate(spark, sweep, telemetryDir);
    System.err.printf(
        "neuroscope: trained %d runs (%d epochs), wrote %d tensor rows (%d values) to %s in %.1f s%n",
        g.runs(), g.epochs(), g.tensorRows(), g.values(), telemetryDir, g.seconds());
    deleteOutputTables(output); // the demo's output holds this sweep only
    NightlyAction.Result r =
        new NightlyAction(spark, TelemetrySource.folder(telemetryDir), output, settings, true)
            .execute();
    System.err.printf(
        "neuroscope: %d runs, %d epochs, %d tensors: %d diagnostics rows, %d hyperparameter effect rows -> %s%n",
        r.diagnostics().runs(),
        r.diagnostics().epochs(),
        r.diagnostics().tensors(),
        r.diagnostics().diagnosticsRows(),
        r.summaries().effectRows(),
        output);
    Map<String, String> notes = new LinkedHashMap<>();
    for (Sweep.Run run : sweep) notes.put(run.runId(), run.note());
    DemoReport.print(
        System.out,
        DemoReport.verdicts(spark, telemetryDir, output.root()),
        DemoReport.findings(spark, output.root()),
        notes,
        telemetryDir,
        output.root());
    DemoReport.printEffects(System.out, spark, output.root());
    System.err.printf("neuroscope: demo done in %.1f s%n", (System.nanoTime() - started) / 1e9);
    return 0;
  }

  private static void deleteOutputTables(OutputTables output) {
    SparkSession spark = output.spark();
    for (OutputTable t : OutputTable.ALL) {
      Optional<org.apache.hadoop.fs.Path> p = TableFolders.delta(spark, output.path(t));
      try {
        if (p.isPresent())
          p.get().getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(p.get(), true);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot clear " + p.get(), e);
      }
    }
  }
}
