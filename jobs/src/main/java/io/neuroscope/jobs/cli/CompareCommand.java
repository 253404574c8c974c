package io.neuroscope.jobs.cli;

import io.neuroscope.jobs.error.NeuroScopeErrors;
import io.neuroscope.jobs.report.Compare;
import io.neuroscope.jobs.table.OutputTables;
import java.util.ArrayList;
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
        "usage: neuroscope compare [--output demo/output] (--run ID [--run ID]... | --runs a,b[,c...] | --experiment NAME)",
        "  prints the runs side by side: the hyperparameters that differ, losses, each diagnostic's status by epoch range");
  }

  @Override
  public Options options() {
    return Options.of("--output", "--runs", "--experiment").withRepeatable("--run");
  }

  @Override
  public int run(Invocation call) {
    // --run takes any id, commas included; --runs is the short form for ids without commas
    List<String> runs = new ArrayList<>(call.values("--run"));
    call.option("--runs")
        .ifPresent(
            list ->
                Arrays.stream(list.split(",", -1))
                    .map(String::trim)
                    .filter(r -> !r.isEmpty())
                    .forEach(runs::add));
    if (runs.isEmpty() == call.option("--experiment").isEmpty()) {
      throw NeuroScopeErrors.oneOf(
          List.of("--run ID (repeatable)", "--runs a,b[,c...]", "--experiment NAME"), call.usage());
    }
    OutputTables output = OutputTables.at(call.spark(), call.option("--output", "demo/output"));
    call.settings(); // --conf and --set are read (and their errors reported) as for every command
    Compare.print(output, runs, call.option("--experiment").orElse(null), System.out);
    return 0;
  }
}
