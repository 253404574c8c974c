package io.neuroscope.jobs.cli;

import io.neuroscope.jobs.report.HtmlReport;
import java.nio.file.Path;

/** report --html FILE: the self-contained HTML report. */
final class ReportCommand implements Command {
  @Override
  public String name() {
    return "report";
  }

  @Override
  public String usage() {
    return String.join(
        "\n",
        "usage: neuroscope report [--output demo/output] [--telemetry PATH] --html FILE",
        "  writes a self-contained HTML report (heatmaps, loss curves, hyperparameter effects)");
  }

  @Override
  public Options options() {
    return Options.of("--output", "--telemetry", "--html");
  }

  @Override
  public int run(Invocation call) {
    Path html = Path.of(call.required("--html"));
    call.settings(); // --conf and --set are read (and their errors reported) as for every command
    Path written =
        HtmlReport.write(
            call.spark(),
            call.option("--output", "demo/output"),
            call.option("--telemetry").orElse(null),
            html);
    System.out.println("neuroscope: report written to " + written.toAbsolutePath());
    return 0;
  }
}
