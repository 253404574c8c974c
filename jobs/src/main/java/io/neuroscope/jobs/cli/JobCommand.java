package io.neuroscope.jobs.cli;

import io.neuroscope.diagnostics.Settings;
import io.neuroscope.jobs.action.Scope;
import io.neuroscope.jobs.diagnostics.DiagnosticsAction;
import io.neuroscope.jobs.nightly.DiagnosticsStage;
import io.neuroscope.jobs.nightly.NightlyAction;
import io.neuroscope.jobs.summary.SummariesAction;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.telemetry.TelemetrySource;
import io.neuroscope.jobs.telemetry.ValidatedTelemetry;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * The three commands that read telemetry and write the output tables: diagnostics, summaries,
 * nightly.
 */
final class JobCommand implements Command {
  static final String USAGE =
      String.join(
          "\n",
          "usage: neuroscope (diagnostics | summaries | nightly [--full]) (--telemetry PATH | --telemetry-db DATABASE) --output PATH [--conf FILE] [--set key=value]...",
          "  diagnostics           the ten diagnostics -> PATH/diagnostics (and PATH/quarantine)",
          "  summaries             from PATH/diagnostics: PATH/run_summary, PATH/experiment_summary, PATH/hyperparameter_effects",
          "  nightly               diagnostics, then summaries and effects, then the tables and views in catalog database",
          "                        'neuroscope' (setting catalog.database); incremental: only runs and epochs new or changed",
          "                        since the last run are computed (--full: all of them); each run is recorded in PATH/nightly_audit",
          "  --telemetry PATH      root folder with runs/, layers/, epochs/, tensors/ (each Delta or Parquet)",
          "  --telemetry-db DB     read the four tables from catalog database DB instead",
          "  --output PATH         folder for the output Delta tables (PATH/diagnostics, PATH/quarantine)",
          "  --conf FILE           a properties file of settings (see conf/neuroscope.properties); every command takes it",
          "  --set key=value       override one setting, e.g. --set dead_neurons.warning_above=5; every command takes it");

  static final JobCommand DIAGNOSTICS = new JobCommand("diagnostics");
  static final JobCommand SUMMARIES = new JobCommand("summaries");
  static final JobCommand NIGHTLY = new JobCommand("nightly");

  private final String name;

  private JobCommand(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String usage() {
    return USAGE;
  }

  @Override
  public Options options() {
    Options o = Options.of("--telemetry", "--telemetry-db", "--output");
    return name.equals("nightly") ? o.withFlags("--full") : o;
  }

  @Override
  public int run(Invocation call) {
    TelemetrySource source =
        call.exactlyOneOf("--telemetry", "--telemetry-db").equals("--telemetry")
            ? TelemetrySource.folder(call.required("--telemetry"))
            : TelemetrySource.catalog(call.required("--telemetry-db"));
    OutputTables output = OutputTables.at(call.spark(), call.required("--output"));
    Settings settings = call.settings();
    SparkSession spark = call.spark();
    switch (name) {
      case "diagnostics" -> {
        printDiagnostics(DiagnosticsStage.run(source.read(spark), output, settings, false), output);
      }
      case "summaries" -> {
        try (ValidatedTelemetry v = new ValidatedTelemetry(source.read(spark))) {
          printSummaries(
              new SummariesAction(v, output, settings, Scope.everything("the summaries command"))
                  .execute(),
              output);
        }
      }
      default -> {
        NightlyAction.Result r =
            new NightlyAction(spark, source, output, settings, !call.flag("--full")).execute();
        printDiagnostics(r.diagnostics(), output);
        printSummaries(r.summaries(), output);
        System.out.printf(
            Locale.ROOT,
            "neuroscope: nightly done in %.1f s; registered %s in database %s%n",
            r.seconds(),
            String.join(", ", r.registered()),
            settings.string("catalog.database"));
      }
    }
    return 0;
  }

  private static void printDiagnostics(DiagnosticsAction.Result r, OutputTables output) {
    System.out.printf(
        "neuroscope: %d runs, %d epochs, %d tensors (%d values): %d diagnostics rows, %d quarantined rows -> %s%n",
        r.runs(),
        r.epochs(),
        r.tensors(),
        r.valuesRead(),
        r.diagnosticsRows(),
        r.quarantined(),
        output);
    System.out.printf(
        "neuroscope: %s run (%s): %d epochs computed, %d diagnostics rows new or changed%n",
        r.outcome().mode(), r.reason(), r.epochsComputed(), r.diagnosticsChanged());
  }

  private static void printSummaries(SummariesAction.Result r, OutputTables output) {
    System.out.printf(
        Locale.ROOT,
        "neuroscope: run_summary %d runs, experiment_summary %d rows (%.1f s); hyperparameter_effects %d rows (%.1f s) -> %s%n",
        r.runs(),
        r.experimentRows(),
        r.summarySeconds(),
        r.effectRows(),
        r.effectSeconds(),
        output);
  }
}
