package io.neuroscope.jobs.cli;

import io.neuroscope.jobs.report.Compare;
import io.neuroscope.jobs.table.OutputTables;
import java.util.Arrays;
import java.util.List;

/** compare (--runs a,b[,c...] | --experiment NAME): the runs side by side. */
final class CompareCommand implements Command {
  @Override
  public String name() {
    return "compare";
  }

  @Override
  public String usage() {
    return String.join(
        "\n",
        "usage: neuroscope compare [--output demo/output] (--runs a,b[,c...] | --experiment NAME)",
        "  prints the runs side by side: the hyperparameters that differ, losses, each diagnostic's status by epoch range");
  }

  @Override
  public Options options() {
    return Options.of("--output", "--runs", "--experiment");
  }

  @Override
  public int run(Invocation call) {
    boolean byRuns = call.exactlyOneOf("--runs", "--experiment").equals("--runs");
    List<String> runs =
        byRuns
            ? Arrays.stream(call.required("--runs").split(","))
                .map(String::trim)
                .filter(r -> !r.isEmpty())
                .toList()
            : List.of();
    OutputTables output = OutputTables.at(call.spark(), call.option("--output", "demo/output"));
    call.settings(); // --conf and --set are read (and their errors reported) as for every command
    Compare.print(output, runs, call.option("--experiment").orElse(null), System.out);
    return 0;
  }
}
