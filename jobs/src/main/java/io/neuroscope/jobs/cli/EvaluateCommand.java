package io.neuroscope.jobs.cli;

import io.neuroscope.jobs.report.Evaluation;
import io.neuroscope.jobs.table.OutputTables;
import java.nio.file.Path;

/** evaluate --output PATH --labels FILE: the findings measured against labelled runs. */
final class EvaluateCommand implements Command {
  @Override
  public String name() {
    return "evaluate";
  }

  @Override
  public String usage() {
    return String.join(
        "\n",
        "usage: neuroscope evaluate --output PATH --labels FILE",
        "  measures the findings against labelled runs (README, \"Evaluating the findings\"): recall per planted",
        "  problem and onset, false findings, clean healthy baselines; beside them the spec's worst statuses");
  }

  @Override
  public Options options() {
    return Options.of("--output", "--labels");
  }

  @Override
  public int run(Invocation call) {
    String output = call.required("--output");
    Path labels = Path.of(call.required("--labels"));
    call.settings();
    Evaluation.print(
        OutputTables.at(call.spark(), output), Evaluation.readLabels(labels), System.out);
    return 0;
  }
}
