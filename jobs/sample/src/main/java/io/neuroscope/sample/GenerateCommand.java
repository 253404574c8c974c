package io.neuroscope.sample;

import io.neuroscope.jobs.cli.Command;
import io.neuroscope.jobs.cli.Invocation;
import io.neuroscope.jobs.cli.Options;
import io.neuroscope.jobs.error.NeuroScopeErrors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * generate --runs N --epochs E --out PATH: trains N networks and writes their telemetry; generate
 * --sweep evaluation --out PATH [--labels FILE]: trains the labelled {@link Sweep#evaluation
 * evaluation sweep} and writes its labels.
 */
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
        "  trains N networks (hyperparameters varied cyclically) and writes their telemetry under PATH (deterministic)",
        "       neuroscope generate --sweep evaluation --out PATH [--labels FILE] [--seed 0]",
        "  trains the labelled evaluation sweep (148 runs: healthy baselines and planted pathologies at 3-4",
        "  strengths, 4 seeds each) into PATH; --labels writes its ground truth (healthy, problems, onset, dev/test split) as JSON");
  }

  @Override
  public Options options() {
    return Options.of("--runs", "--epochs", "--widths", "--out", "--seed", "--sweep", "--labels");
  }

  @Override
  public int run(Invocation call) {
    String out = call.required("--out");
    long seed;
    try {
      seed = Long.parseLong(call.option("--seed", "0"));
    } catch (NumberFormatException e) {
      throw NeuroScopeErrors.badValue("--seed", "an integer", call.option("--seed", "0"));
    }
    if (call.flag("--sweep")) {
      return evaluation(call, out, seed);
    }
    if (call.flag("--labels")) {
      throw NeuroScopeErrors.missingOption(
          "--sweep evaluation (--labels labels a sweep)", call.usage());
    }
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
    SparkSession spark = call.spark();
    call.settings(); // --conf and --set are read (and their errors reported) as for every command
    Sweep.Summary g = Sweep.generate(spark, Sweep.cyclic(runs, epochs, widths, seed), out);
    print(g, out);
    return 0;
  }

  /** --sweep evaluation: the labelled sweep, and its labels when --labels is given. */
  private static int evaluation(Invocation call, String out, long seed) {
    String sweep = call.required("--sweep");
    if (!sweep.equals("evaluation")) {
      throw NeuroScopeErrors.badValue("--sweep", "'evaluation'", sweep);
    }
    for (String other : List.of("--runs", "--epochs", "--widths")) {
      if (call.flag(other)) {
        throw NeuroScopeErrors.oneOf(
            List.of("--sweep evaluation", "--runs N --epochs E [--widths 64,64]"), call.usage());
      }
    }
    SparkSession spark = call.spark();
    call.settings();
    List<Sweep.Run> runs = Sweep.evaluation(seed);
    Sweep.Summary g = Sweep.generate(spark, runs, out);
    print(g, out);
    Optional<String> labels = call.option("--labels");
    if (labels.isPresent()) {
      EvaluationLabels.write(spark, runs, out, Path.of(labels.get()));
      long healthy = runs.stream().filter(Sweep.Run::baseline).count();
      System.out.printf(
          "neuroscope: labels of %d runs (%d healthy baselines, %d planted) -> %s%n",
          runs.size(), healthy, runs.size() - healthy, labels.get());
    }
    return 0;
  }

  private static void print(Sweep.Summary g, String out) {
    System.out.printf(
        "neuroscope: %d runs, %d epochs, %d tensor rows, %d values (%.1f M) -> %s in %.1f s%n",
        g.runs(), g.epochs(), g.tensorRows(), g.values(), g.values() / 1e6, out, g.seconds());
  }
}
