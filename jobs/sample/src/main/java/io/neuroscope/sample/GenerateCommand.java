package io.neuroscope.sample;

import io.neuroscope.jobs.cli.Command;
import io.neuroscope.jobs.cli.Invocation;
import io.neuroscope.jobs.cli.Options;
import io.neuroscope.jobs.error.NeuroScopeErrors;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** generate --runs N --epochs E --out PATH: trains N networks and writes their telemetry. */
public final class GenerateCommand implements Command {
  @Override
  public String name() {
    return "generate";
  }

  @Override
  public String usage() {
    return String.join(
        "\n",
        "usage: neuroscope generate --runs N --epochs E --widths 64,64 --out PATH [--seed 0]",
        "  trains N networks (hyperparameters varied cyclically) and writes their telemetry under PATH (deterministic)");
  }

  @Override
  public Options options() {
    return Options.of("--runs", "--epochs", "--widths", "--out", "--seed");
  }

  @Override
  public int run(Invocation call) {
    String out = call.required("--out");
    call.required("--runs");
    call.required("--epochs");
    int runs = call.positiveInt("--runs", 1);
    int epochs = call.positiveInt("--epochs", 1);
    String widthsText = call.option("--widths", "64,64");
    List<Integer> widths = new ArrayList<>();
    for (String w : widthsText.split(",")) {
      int width;
      try {
        width = Integer.parseInt(w.trim());
      } catch (NumberFormatException e) {
        throw NeuroScopeErrors.badValue(
            "--widths", "positive integers separated by commas", widthsText);
      }
      if (width <= 0)
        throw NeuroScopeErrors.badValue(
            "--widths", "positive integers separated by commas", widthsText);
      widths.add(width);
    }
    long seed;
    try {
      seed = Long.parseLong(call.option("--seed", "0"));
    } catch (NumberFormatException e) {
      throw NeuroScopeErrors.badValue("--seed", "an integer", call.option("--seed", "0"));
    }
    SparkSession spark = call.spark();
    call.settings(); // --conf and --set are read (and their errors reported) as for every command
    Sweep.Summary g = Sweep.generate(spark, Sweep.cyclic(runs, epochs, widths, seed), out);
    System.out.printf(
        "neuroscope: %d runs, %d epochs, %d tensor rows, %d values (%.1f M) -> %s in %.1f s%n",
        g.runs(), g.epochs(), g.tensorRows(), g.values(), g.values() / 1e6, out, g.seconds());
    return 0;
  }
}
