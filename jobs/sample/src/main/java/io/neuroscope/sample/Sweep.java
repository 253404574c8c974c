package io.neuroscope.sample;

import io.neuroscope.sample.training.Activation;
import io.neuroscope.sample.training.Dataset;
import io.neuroscope.sample.training.Datasets;
import io.neuroscope.sample.training.Init;
import io.neuroscope.sample.training.Loss;
import io.neuroscope.sample.training.Optimizer;
import io.neuroscope.sample.training.Trainer;
import io.neuroscope.sample.training.TrainingConfig;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;

/**
 * Sets of training runs that produce sample telemetry: the {@link #builtIn built-in sweep} of the
 * demo, in which real pathologies are planted next to healthy baselines, and {@link #cyclic}
 * archives of any size. Everything is seeded: the same seed gives the same telemetry, bit for bit.
 */
public final class Sweep {
  /** The datasets a run can train on. */
  public enum Data {
    MOONS,
    SPIRALS,
    REGRESSION;

    Dataset.Split make(int train, int validation, double noise, long seed) {
      switch (this) {
        case MOONS:
          return Datasets.twoMoons(train, validation, noise, seed);
        case SPIRALS:
          return Datasets.twoSpirals(train, validation, noise, seed);
        case REGRESSION:
          return Datasets.regression(train, validation, noise, seed);
        default:
          throw new AssertionError(this);
      }
    }

    String id() {
      return switch (this) {
        case MOONS -> "two_moons";
        case SPIRALS -> "two_spirals";
        case REGRESSION -> "sin_square_regression";
      };
    }
  }

  /**
   * One run of a sweep.
   *
   * @param planted the diagnostic this run is built to trip (WARNING or CRITICAL), or null for a
   *     run without a planted pathology
   * @param baseline whether this run is a healthy baseline: it should stay HEALTHY on every planted
   *     diagnostic
   * @param note what the run is, in a few words, for the report
   */
  public record Run(
      String runId,
      String experiment,
      Data data,
      int trainSize,
      int validationSize,
      double noise,
      long dataSeed,
      TrainingConfig config,
      String planted,
      boolean baseline,
      String note) {

    public Dataset.Split split() {
      return data.make(trainSize, validationSize, noise, dataSeed);
    }

    /** Every hyperparameter: the training config's, and the dataset's. */
    public Map<String, String> params() {
      Map<String, String> p = new LinkedHashMap<>(config.params());
      p.put("dataset", data.id());
      p.put("train_size", Integer.toString(trainSize));
      p.put("validation_size", Integer.toString(validationSize));
      p.put("noise", Double.toString(noise));
      p.put("data_seed", Long.toString(dataSeed));
      p.put("monitor_samples", Integer.toString(config.monitorSamples()));
      return p;
    }
  }

  /** Size of what {@link #generate} wrote. */
  public record Summary(int runs, long epochs, long tensorRows, long values, double seconds) {}

  private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");

  /** Monitoring batch of every built-in run. */
  static final int MONITOR = 64;

  private Sweep() {}

  /**
   * The demo's sweep: 13 runs in three experiments (the monitored step is each epoch's last).
   * {@code moons-mlp} and {@code spirals-depth} vary learning rate, batch size, activation,
   * initialisation, depth, width and optimizer on two classification problems; {@code
   * regression-lr} varies the learning rate of a regression. Planted: dying ReLUs (SGD step 2.0),
   * vanishing gradients (8 sigmoid layers), exploding gradients (6 relu layers with weights of std
   * 0.5 on MSE without clipping), saturation (tanh with weights of std 3), a plateau (SGD 1e-5) and
   * overfitting (24 noisy training samples, a wide network, 40 epochs); two healthy baselines stay
   * HEALTHY on all of these.
   */
  public static List<Run> builtIn(long seed) {
    List<Run> runs = new ArrayList<>();
    String moons = "moons-mlp";
    String spirals = "spirals-depth";
    String regression = "regression-lr";
    long data = seed + 101;
    // --- moons-mlp: two moons with noise 0.3 ---
    runs.add(
        run(
            "moons-wide-momentum",
            moons,
            Data.MOONS,
            1024,
            1024,
            0.3,
            data,
            cfg(seed + 2).hidden(64).optimizer(Optimizer.momentum(0.01)).batchSize(64).epochs(30),
            null,
            false,
            "1 x 64 relu, momentum 0.01: learns fast, then slowly"));
    runs.add(
        run(
            "moons-relu-sgd-lr2.0",
            moons,
            Data.MOONS,
            512,
            512,
            0.3,
            data,
            cfg(seed + 3).hidden(32, 32, 32).optimizer(Optimizer.sgd(2.0)).batchSize(32).epochs(30),
            "dead_neurons",
            false,
            "SGD with a step of 2.0 kills most ReLUs"));
    runs.add(
        run(
            "moons-tanh-std3",
            moons,
            Data.MOONS,
            512,
            512,
            0.3,
            data,
            cfg(seed + 4)
                .hidden(32, 32)
                .hiddenActivation(Activation.TANH)
                .init(Init.normal(3.0))
                .optimizer(Optimizer.sgd(0.05))
                .batchSize(32)
                .epochs(30),
            "activation_saturation",
            false,
            "tanh with initial weights of std 3 saturates"));
    runs.add(
        run(
            "moons-sgd-lr1e-5",
            moons,
            Data.MOONS,
            512,
            512,
            0.3,
            data,
            cfg(seed + 5).hidden(32, 32).optimizer(Optimizer.sgd(1e-5)).batchSize(64).epochs(30),
            "plateau",
            false,
            "SGD with a step of 1e-5 barely moves: the loss plateaus"));
    runs.add(
        run(
            "moons-overfit-n24",
            moons,
            Data.MOONS,
            24,
            256,
            0.35,
            data,
            cfg(seed + 6).hidden(64, 64).optimizer(Optimizer.adam(1e-2)).batchSize(8).epochs(40),
            "overfitting",
            false,
            "24 noisy training samples, 2 x 64 relu, Adam 1e-2, 40 epochs: memorises"));
    // --- spirals-depth: two spirals of 1.5 turns, noise 0.05 ---
    runs.add(
        run(
            "spirals-relu-d2",
            spirals,
            Data.SPIRALS,
            512,
            512,
            0.05,
            data,
            cfg(seed + 7).hidden(32, 32).optimizer(Optimizer.adam(3e-3)).batchSize(32).epochs(30),
            null,
            true,
            "healthy baseline: 2 x 32 relu, Adam 3e-3"));
    runs.add(
        run(
            "spirals-relu-d2-n1024",
            spirals,
            Data.SPIRALS,
            1024,
            1024,
            0.05,
            data,
            cfg(seed + 7).hidden(32, 32).optimizer(Optimizer.adam(1e-3)).batchSize(32).epochs(30),
            null,
            true,
            "healthy baseline: 2 x 32 relu, Adam 1e-3, 1024 samples"));
    runs.add(
        run(
            "spirals-sigmoid-d8",
            spirals,
            Data.SPIRALS,
            512,
            256,
            0.05,
            data,
            cfg(seed + 8)
                .hiddenLayers(8, 32)
                .hiddenActivation(Activation.SIGMOID)
                .init(Init.xavier())
                .optimizer(Optimizer.sgd(0.1))
                .batchSize(32)
                .epochs(30),
            "vanishing_gradients",
            false,
            "8 sigmoid layers: the gradient vanishes toward the input"));
    runs.add(
        run(
            "spirals-tanh-d4",
            spirals,
            Data.SPIRALS,
            512,
            256,
            0.05,
            data,
            cfg(seed + 9)
                .hiddenLayers(4, 32)
                .hiddenActivation(Activation.TANH)
                .init(Init.xavier())
                .optimizer(Optimizer.adam(1e-3))
                .batchSize(16)
                .epochs(30),
            null,
            false,
            "4 x 32 tanh, Xavier, Adam 1e-3, batch 16"));
    runs.add(
        run(
            "spirals-leaky-d4",
            spirals,
            Data.SPIRALS,
            512,
            256,
            0.05,
            data,
            cfg(seed + 10)
                .hiddenLayers(4, 48)
                .hiddenActivation(Activation.LEAKY_RELU)
                .optimizer(Optimizer.momentum(0.01))
                .batchSize(64)
                .epochs(30),
            null,
            false,
            "4 x 48 leaky relu, momentum 0.01, batch 64"));
    runs.add(
        run(
            "spirals-relu-d6",
            spirals,
            Data.SPIRALS,
            512,
            256,
            0.05,
            data,
            cfg(seed + 11)
                .hiddenLayers(6, 16)
                .optimizer(Optimizer.sgd(0.05))
                .batchSize(128)
                .epochs(30),
            null,
            false,
            "6 x 16 relu, SGD 0.05, batch 128"));
    // --- regression-lr: y = sin(x1) + x2^2 + noise ---
    runs.add(
        run(
            "regression-adam",
            regression,
            Data.REGRESSION,
            512,
            512,
            0.1,
            data,
            cfg(seed + 12)
                .hidden(32, 32)
                .loss(Loss.MSE)
                .optimizer(Optimizer.adam(3e-3))
                .batchSize(32)
                .epochs(30),
            null,
            false,
            "2 x 32 relu, Adam 3e-3, MSE"));
    runs.add(
        run(
            "regression-std0.5-d6",
            regression,
            Data.REGRESSION,
            512,
            512,
            0.1,
            data,
            cfg(seed + 13)
                .hiddenLayers(6, 32)
                .init(Init.normal(0.5))
                .loss(Loss.MSE)
                .optimizer(Optimizer.sgd(3e-4))
                .batchSize(32)
                .epochs(30),
            "exploding_gradients",
            false,
            "6 x 32 relu, weights of std 0.5, SGD 3e-4 without clipping: the gradients explode"));
    return runs;
  }

  /**
   * Three controlled experiments for the hyperparameter effects: in each, one hyperparameter moves
   * and the rest stay, so that its relation to a pathology can be measured across runs. {@code
   * lr-ladder}: the SGD step of a 4 x 32 relu regression without clipping (exploding gradients rise
   * with it); {@code depth-ladder}: 1 to 8 sigmoid layers (the gradient vanishes more with depth);
   * {@code activation}: relu, tanh and sigmoid under the same large initialisation and step, two
   * seeds each (relu units die, tanh and sigmoid units saturate).
   */
  public static List<Run> ladders(long seed) {
    List<Run> runs = new ArrayList<>();
    long data = seed + 101;
    double[] rates = {0.005, 0.01, 0.02, 0.04, 0.06, 0.08};
    for (int i = 0; i < rates.length; i++) {
      runs.add(
          run(
              "lr-ladder-" + rates[i],
              "lr-ladder",
              Data.REGRESSION,
              256,
              256,
              0.1,
              data,
              cfg(seed + 20)
                  .hiddenLayers(4, 32)
                  .loss(Loss.MSE)
                  .optimizer(Optimizer.sgd(rates[i]))
                  .batchSize(32)
                  .epochs(20),
              null,
              false,
              "4 x 32 relu regression, SGD " + rates[i] + " without clipping"));
    }
    int[] depths = {1, 2, 3, 4, 6, 8};
    for (int d : depths) {
      runs.add(
          run(
              "depth-ladder-d" + d,
              "depth-ladder",
              Data.SPIRALS,
              256,
              256,
              0.05,
              data,
              cfg(seed + 30)
                  .hiddenLayers(d, 32)
                  .hiddenActivation(Activation.SIGMOID)
                  .init(Init.xavier())
                  .optimizer(Optimizer.sgd(0.1))
                  .batchSize(32)
                  .epochs(20),
              null,
              false,
              d + " x 32 sigmoid, Xavier, SGD 0.1"));
    }
    Activation[] activations = {Activation.RELU, Activation.TANH, Activation.SIGMOID};
    for (Activation a : activations) {
      for (int s = 0; s < 2; s++) {
        runs.add(
            run(
                "activation-" + a.id() + "-s" + s,
                "activation",
                Data.MOONS,
                256,
                256,
                0.3,
                data,
                cfg(seed + 40 + s)
                    .hidden(32, 32)
                    .hiddenActivation(a)
                    .init(Init.normal(2.5))
                    .optimizer(Optimizer.sgd(0.5))
                    .batchSize(32)
                    .epochs(20),
                null,
                false,
                "2 x 32 " + a.id() + ", weights of std 2.5, SGD 0.5, seed " + s));
      }
    }
    return runs;
  }

  /** Seeds per design of the {@link #evaluation} sweep: seed indices 0..EVALUATION_SEEDS−1. */
  public static final int EVALUATION_SEEDS = 4;

  private static final Pattern EVALUATION_ID = Pattern.compile("eval-s(\\d+)-.+");

  /**
   * One design of the {@link #evaluation} sweep, instantiated once per seed index {@code s}: the
   * config is built from the init seed, which moves with {@code s} as the data seed does.
   */
  private record Design(
      String name,
      Data data,
      int train,
      int validation,
      double noise,
      LongFunction<TrainingConfig.Builder> config,
      String planted,
      boolean baseline,
      String note) {}

  /**
   * A labelled evaluation sweep of 148 runs: 37 designs, each trained with {@value
   * #EVALUATION_SEEDS} seeds (seed index s moves both the data seed and the init seed; the run id
   * is {@code eval-s<s>-<design>}, see {@link #seedIndex}). 16 designs are healthy baselines (every
   * dataset with relu, tanh and leaky relu, sane optimizers and rates; 64 runs, 43 %); 21 plant one
   * pathology each, at three or four strengths from mild (WARNING) to strong, mostly the way {@link
   * #builtIn} does (exploding gradients also by oversized weights, see below). Experiments are the
   * dataset families: {@code eval-moons}, {@code eval-spirals}, {@code eval-regression}.
   */
  public static List<Run> evaluation(long seed) {
    List<Design> designs = evaluationDesigns();
    List<Run> runs = new ArrayList<>(designs.size() * EVALUATION_SEEDS);
    for (int s = 0; s < EVALUATION_SEEDS; s++) {
      for (int d = 0; d < designs.size(); d++) {
        Design design = designs.get(d);
        long initSeed = seed + 10_000L * s + 100 + d;
        runs.add(
            run(
                "eval-s" + s + "-" + design.name(),
                "eval-" + design.data().name().toLowerCase(Locale.ROOT),
                design.data(),
                design.train(),
                design.validation(),
                design.noise(),
                seed + 10_000L * s + 101,
                design.config().apply(initSeed),
                design.planted(),
                design.baseline(),
                design.note() + ", seed " + s));
      }
    }
    return runs;
  }

  /** The seed index of an {@link #evaluation} run, from its id {@code eval-s<s>-...}. */
  public static int seedIndex(Run run) {
    Matcher m = EVALUATION_ID.matcher(run.runId());
    if (!m.matches()) {
      throw new IllegalArgumentException("not an evaluation run: " + run.runId());
    }
    return Integer.parseInt(m.group(1));
  }

  private static List<Design> evaluationDesigns() {
    List<Design> d = new ArrayList<>();
    // --- healthy baselines: He for relu and leaky relu, Xavier for tanh, except on the spirals:
    // there a Xavier-initialised tanh net (first-layer std sqrt(2 / 34) on inputs of radius <= 1)
    // stalls at a loss of ~0.62 for all 30 epochs, a real plateau; with He it learns (acc > 0.9)
    // ---
    d.add(
        baseline(
            "base-moons-relu-adam3e-3",
            Data.MOONS,
            s -> cfg(s).hidden(32, 32).optimizer(Optimizer.adam(3e-3)).batchSize(32),
            "2 x 32 relu, Adam 3e-3"));
    d.add(
        baseline(
            "base-moons-tanh-momentum0.02",
            Data.MOONS,
            s ->
                cfg(s)
                    .hidden(32, 32)
                    .hiddenActivation(Activation.TANH)
                    .init(Init.xavier())
                    .optimizer(Optimizer.momentum(0.02))
                    .batchSize(32),
            "2 x 32 tanh, Xavier, momentum 0.02"));
    d.add(
        baseline(
            "base-moons-leaky-sgd0.1",
            Data.MOONS,
            s ->
                cfg(s)
                    .hidden(32, 32)
                    .hiddenActivation(Activation.LEAKY_RELU)
                    .optimizer(Optimizer.sgd(0.1))
                    .batchSize(32),
            "2 x 32 leaky relu, SGD 0.1"));
    d.add(
        baseline(
            "base-moons-relu-w64-sgd0.05",
            Data.MOONS,
            s -> cfg(s).hidden(64).optimizer(Optimizer.sgd(0.05)).batchSize(16),
            "1 x 64 relu, SGD 0.05, batch 16"));
    d.add(
        baseline(
            "base-moons-tanh-d3-adam1e-3",
            Data.MOONS,
            s ->
                cfg(s)
                    .hiddenLayers(3, 16)
                    .hiddenActivation(Activation.TANH)
                    .init(Init.xavier())
                    .optimizer(Optimizer.adam(1e-3))
                    .batchSize(32),
            "3 x 16 tanh, Xavier, Adam 1e-3"));
    d.add(
        baseline(
            "base-moons-leaky-d3-adam2e-3",
            Data.MOONS,
            s ->
                cfg(s)
                    .hiddenLayers(3, 24)
                    .hiddenActivation(Activation.LEAKY_RELU)
                    .optimizer(Optimizer.adam(2e-3))
                    .batchSize(64),
            "3 x 24 leaky relu, Adam 2e-3, batch 64"));
    d.add(
        baseline(
            "base-spirals-relu-adam3e-3",
            Data.SPIRALS,
            s -> cfg(s).hidden(32, 32).optimizer(Optimizer.adam(3e-3)).batchSize(32),
            "2 x 32 relu, Adam 3e-3"));
    d.add(
        baseline(
            "base-spirals-tanh-he-momentum0.03",
            Data.SPIRALS,
            s ->
                cfg(s)
                    .hidden(32, 32)
                    .hiddenActivation(Activation.TANH)
                    .init(Init.he())
                    .optimizer(Optimizer.momentum(0.03))
                    .batchSize(16),
            "2 x 32 tanh, He, momentum 0.03, batch 16"));
    d.add(
        baseline(
            "base-spirals-leaky-d3-momentum0.02",
            Data.SPIRALS,
            s ->
                cfg(s)
                    .hiddenLayers(3, 32)
                    .hiddenActivation(Activation.LEAKY_RELU)
                    .optimizer(Optimizer.momentum(0.02))
                    .batchSize(32),
            "3 x 32 leaky relu, momentum 0.02"));
    d.add(
        baseline(
            "base-spirals-relu-w64-momentum0.03",
            Data.SPIRALS,
            s -> cfg(s).hidden(64, 64).optimizer(Optimizer.momentum(0.03)).batchSize(32),
            "2 x 64 relu, momentum 0.03"));
    d.add(
        baseline(
            "base-spirals-tanh-d3-he-sgd0.1",
            Data.SPIRALS,
            s ->
                cfg(s)
                    .hiddenLayers(3, 32)
                    .hiddenActivation(Activation.TANH)
                    .init(Init.he())
                    .optimizer(Optimizer.sgd(0.1))
                    .batchSize(16),
            "3 x 32 tanh, He, SGD 0.1, batch 16"));
    d.add(
        baseline(
            "base-regression-relu-adam3e-3",
            Data.REGRESSION,
            s ->
                cfg(s)
                    .hidden(32, 32)
                    .loss(Loss.MSE)
                    .clipNorm(5.0)
                    .optimizer(Optimizer.adam(3e-3))
                    .batchSize(32),
            "2 x 32 relu, MSE, Adam 3e-3, clip 5"));
    d.add(
        baseline(
            "base-regression-tanh-adam2e-3",
            Data.REGRESSION,
            s ->
                cfg(s)
                    .hidden(32, 32)
                    .hiddenActivation(Activation.TANH)
                    .init(Init.xavier())
                    .loss(Loss.MSE)
                    .clipNorm(5.0)
                    .optimizer(Optimizer.adam(2e-3))
                    .batchSize(16),
            "2 x 32 tanh, Xavier, MSE, Adam 2e-3, clip 5"));
    d.add(
        baseline(
            "base-regression-leaky-momentum0.01",
            Data.REGRESSION,
            s ->
                cfg(s)
                    .hidden(32, 32)
                    .hiddenActivation(Activation.LEAKY_RELU)
                    .loss(Loss.MSE)
                    .clipNorm(5.0)
                    .optimizer(Optimizer.momentum(0.01))
                    .batchSize(32),
            "2 x 32 leaky relu, MSE, momentum 0.01, clip 5"));
    d.add(
        baseline(
            "base-regression-relu-d3-sgd0.01",
            Data.REGRESSION,
            s ->
                cfg(s)
                    .hiddenLayers(3, 24)
                    .loss(Loss.MSE)
                    .clipNorm(5.0)
                    .optimizer(Optimizer.sgd(0.01))
                    .batchSize(16),
            "3 x 24 relu, MSE, SGD 0.01, clip 5"));
    d.add(
        baseline(
            "base-regression-leaky-w64-adam1e-3",
            Data.REGRESSION,
            s ->
                cfg(s)
                    .hidden(64, 64)
                    .hiddenActivation(Activation.LEAKY_RELU)
                    .loss(Loss.MSE)
                    .clipNorm(5.0)
                    .optimizer(Optimizer.adam(1e-3))
                    .batchSize(32),
            "2 x 64 leaky relu, MSE, Adam 1e-3, clip 5"));
    // --- dead_neurons: a large SGD step kills the ReLUs. How many die varies much with the seed:
    // at 0.6-0.8 with batch 32 some seeds keep 5-10 % dead, no more than the healthy relu baselines
    // (up to ~20 %), so the mild strength is 1.0 with batch 16 (twice the large steps): at least
    // ~11 % dead in every epoch of every seed tried, 11-45 % (WARNING, some CRITICAL) ---
    double[] deadRates = {1.0, 1.5, 2.0};
    int[] deadBatches = {16, 16, 32};
    Data[] deadData = {Data.MOONS, Data.MOONS, Data.SPIRALS};
    for (int i = 0; i < deadRates.length; i++) {
      double lr = deadRates[i];
      int batch = deadBatches[i];
      d.add(
          planted(
              "dead-sgd" + lr + "-b" + batch + "-" + key(deadData[i]),
              deadData[i],
              s -> cfg(s).hiddenLayers(3, 32).optimizer(Optimizer.sgd(lr)).batchSize(batch),
              "dead_neurons",
              "3 x 32 relu, SGD " + lr + ", batch " + batch + ": the step kills ReLUs"));
    }
    // --- vanishing_gradients: deep sigmoid stacks ---
    for (int depth : new int[] {6, 8, 10}) {
      d.add(
          planted(
              "vanishing-sigmoid-d" + depth + "-spirals",
              Data.SPIRALS,
              s ->
                  cfg(s)
                      .hiddenLayers(depth, 32)
                      .hiddenActivation(Activation.SIGMOID)
                      .init(Init.xavier())
                      .optimizer(Optimizer.sgd(0.1))
                      .batchSize(32),
              "vanishing_gradients",
              depth + " x 32 sigmoid, Xavier, SGD 0.1: the gradient vanishes toward the input"));
    }
    // --- exploding_gradients: MSE regression, SGD without clipping. The step alone is all or
    // nothing here: 4 x 32 relu at SGD 0.02-0.04 stays stable (0-2 epochs of large gradients), at
    // 0.05-0.07 a seed either turns NaN in its first epoch or trains stably, at 0.08 every seed
    // diverges (the strong case). The milder strengths come from the textbook cause instead:
    // weights
    // too large for a 6-layer relu stack (std 0.4 / 0.5, He would be 0.25), so the gradient grows
    // layer by layer toward the input, with a small step (3e-4) that keeps most seeds training. ---
    double[] explodingStds = {0.4, 0.5};
    for (double std : explodingStds) {
      d.add(
          planted(
              "exploding-std" + std + "-d6-sgd3e-4-regression",
              Data.REGRESSION,
              s ->
                  cfg(s)
                      .hiddenLayers(6, 32)
                      .init(Init.normal(std))
                      .loss(Loss.MSE)
                      .optimizer(Optimizer.sgd(3e-4))
                      .batchSize(32),
              "exploding_gradients",
              "6 x 32 relu, weights of std "
                  + std
                  + ", MSE, SGD 3e-4 without clipping: the gradients explode toward the input"));
    }
    d.add(
        planted(
            "exploding-sgd0.08-regression",
            Data.REGRESSION,
            s ->
                cfg(s)
                    .hiddenLayers(4, 32)
                    .loss(Loss.MSE)
                    .optimizer(Optimizer.sgd(0.08))
                    .batchSize(32),
            "exploding_gradients",
            "4 x 32 relu, MSE, SGD 0.08 without clipping: the gradients explode and diverge"));
    // --- activation_saturation: tanh with large initial weights (std 1.0: mild, WARNING) ---
    double[] stds = {1.0, 2.0, 3.0, 4.0};
    Data[] saturationData = {Data.MOONS, Data.MOONS, Data.SPIRALS, Data.MOONS};
    for (int i = 0; i < stds.length; i++) {
      double std = stds[i];
      d.add(
          planted(
              "saturation-tanh-std" + std + "-" + key(saturationData[i]),
              saturationData[i],
              s ->
                  cfg(s)
                      .hidden(32, 32)
                      .hiddenActivation(Activation.TANH)
                      .init(Init.normal(std))
                      .optimizer(Optimizer.sgd(0.05))
                      .batchSize(32),
              "activation_saturation",
              "2 x 32 tanh, initial weights of std " + std + ": saturates"));
    }
    // --- plateau: a step so small that the loss barely moves (1e-4: mild) ---
    double[] plateauRates = {1e-4, 1e-5, 3e-6, 1e-6};
    Data[] plateauData = {Data.MOONS, Data.MOONS, Data.SPIRALS, Data.REGRESSION};
    for (int i = 0; i < plateauRates.length; i++) {
      double lr = plateauRates[i];
      Data data = plateauData[i];
      d.add(
          planted(
              "plateau-sgd" + rate(lr) + "-" + key(data),
              data,
              s -> {
                TrainingConfig.Builder b =
                    cfg(s).hidden(32, 32).optimizer(Optimizer.sgd(lr)).batchSize(64);
                return data == Data.REGRESSION ? b.loss(Loss.MSE).clipNorm(5.0) : b;
              },
              "plateau",
              "2 x 32 relu, SGD " + rate(lr) + ": the loss plateaus"));
    }
    // --- overfitting: few noisy training samples, a wide network, Adam 1e-2, 40 epochs (96
    // samples: mild, the validation loss turns up later) ---
    int[] trainSizes = {96, 48, 24, 16};
    int[] widths = {64, 64, 128, 128};
    for (int i = 0; i < trainSizes.length; i++) {
      int n = trainSizes[i];
      int w = widths[i];
      d.add(
          new Design(
              "overfit-n" + n + "-w" + w + "-moons",
              Data.MOONS,
              n,
              256,
              0.35,
              s -> cfg(s).hidden(w, w).optimizer(Optimizer.adam(1e-2)).batchSize(8).epochs(40),
              "overfitting",
              false,
              n + " noisy training samples, 2 x " + w + " relu, Adam 1e-2, 40 epochs: memorises"));
    }
    return d;
  }

  private static Design baseline(
      String name, Data data, LongFunction<TrainingConfig.Builder> config, String note) {
    return new Design(
        name,
        data,
        512,
        512,
        noise(data),
        s -> config.apply(s).epochs(30),
        null,
        true,
        "healthy baseline: " + note);
  }

  private static Design planted(
      String name,
      Data data,
      LongFunction<TrainingConfig.Builder> config,
      String planted,
      String note) {
    return new Design(
        name, data, 512, 256, noise(data), s -> config.apply(s).epochs(30), planted, false, note);
  }

  private static double noise(Data data) {
    return switch (data) {
      case MOONS -> 0.3;
      case SPIRALS -> 0.05;
      case REGRESSION -> 0.1;
    };
  }

  /** A learning rate for ids and notes: 0.02, 2.0, 3e-6. */
  private static String rate(double lr) {
    if (lr >= 1e-3) {
      return Double.toString(lr);
    }
    int exponent = (int) Math.floor(Math.log10(lr));
    long mantissa = Math.round(lr / Math.pow(10, exponent));
    return mantissa + "e" + exponent;
  }

  private static String key(Data data) {
    return data.name().toLowerCase(Locale.ROOT);
  }

  /** The demo: the {@link #builtIn built-in sweep} and the {@link #ladders}. */
  public static List<Run> demo(long seed) {
    List<Run> runs = new ArrayList<>(builtIn(seed));
    runs.addAll(ladders(seed));
    return runs;
  }

  /**
   * {@code count} runs of {@code epochs} epochs with the given hidden widths, hyperparameters
   * varying cyclically (dataset, activation, optimizer and its learning rate, batch size,
   * initialisation), in experiments of 10 runs.
   */
  public static List<Run> cyclic(int count, int epochs, List<Integer> widths, long seed) {
    Data[] data = {Data.MOONS, Data.SPIRALS, Data.REGRESSION};
    Activation[] activations = {
      Activation.RELU, Activation.TANH, Activation.LEAKY_RELU, Activation.SIGMOID
    };
    int[] batches = {32, 64, 128};
    Init[] inits = {Init.he(), Init.xavier()};
    double[][] rates = {{1e-3, 3e-3, 1e-2}, {0.01, 0.03, 0.003}, {0.05, 0.1, 0.01}};
    List<Run> runs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Data d = data[i % data.length];
      int o = (i / 3) % 3;
      Optimizer optimizer =
          switch (o) {
            case 0 -> Optimizer.adam(rates[0][(i / 9) % 3]);
            case 1 -> Optimizer.momentum(rates[1][(i / 9) % 3]);
            default -> Optimizer.sgd(rates[2][(i / 9) % 3]);
          };
      Activation a = activations[i % activations.length];
      TrainingConfig.Builder b =
          cfg(seed + i)
              .hidden(widths)
              .hiddenActivation(a)
              .init(inits[(i / 2) % 2])
              .optimizer(optimizer)
              .batchSize(batches[(i / 4) % 3])
              .epochs(epochs);
      if (d == Data.REGRESSION) {
        b.loss(Loss.MSE).clipNorm(5.0);
      }
      String id =
          String.format(
              java.util.Locale.ROOT,
              "gen-%05d-%s-%s-%s",
              i,
              d.name().toLowerCase(java.util.Locale.ROOT),
              a.id(),
              optimizer.id());
      runs.add(
          run(
              id,
              "generated-" + (i / 10),
              d,
              512,
              256,
              d == Data.SPIRALS ? 0.05 : 0.2,
              seed + 1000 + i % 3,
              b,
              null,
              false,
              "generated"));
    }
    return runs;
  }

  private static TrainingConfig.Builder cfg(long seed) {
    return TrainingConfig.builder().seed(seed).monitorSamples(MONITOR).monitorStep(-1);
  }

  private static Run run(
      String id,
      String experiment,
      Data data,
      int train,
      int validation,
      double noise,
      long dataSeed,
      TrainingConfig.Builder config,
      String planted,
      boolean baseline,
      String note) {
    return new Run(
        id,
        experiment,
        data,
        train,
        validation,
        noise,
        dataSeed,
        config.build(),
        planted,
        baseline,
        note);
  }

  /** Trains the built-in sweep and writes its telemetry under {@code root} (overwriting). */
  public static Summary generate(SparkSession spark, List<Run> runs, String root) {
    return generate(spark, runs, root, TelemetryWriter.DEFAULT_CHUNK_VALUES, 32L << 20);
  }

  /**
   * Trains the runs, two at a time (each run is single-threaded and seeded, so the order of
   * training does not change what is written), and writes their telemetry under {@code root} in the
   * runs' order, in parts of about {@code flushValues} tensor values. The first part overwrites the
   * tables.
   */
  public static Summary generate(
      SparkSession spark, List<Run> runs, String root, int chunkValues, long flushValues) {
    long started = System.nanoTime();
    TelemetryWriter writer = new TelemetryWriter(chunkValues);
    int parallel = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    long epochs = 0;
    long rows = 0;
    long values = 0;
    boolean pending = false;
    for (int from = 0; from < runs.size(); from += parallel) {
      List<Run> group = runs.subList(from, Math.min(runs.size(), from + parallel));
      int offset = from;
      List<TelemetryWriter.RunRecorder> recorded =
          group.parallelStream()
              .map(r -> train(writer, r, offset + group.indexOf(r)))
              .collect(Collectors.toList());
      for (int i = 0; i < group.size(); i++) {
        writer.add(recorded.get(i));
        epochs += group.get(i).config().epochs();
        pending = true;
      }
      if (writer.bufferedValues() >= flushValues) {
        rows += writer.bufferedTensorRows();
        values += writer.bufferedValues();
        writer.write(spark, root);
        pending = false;
      }
    }
    if (pending || runs.isEmpty()) {
      rows += writer.bufferedTensorRows();
      values += writer.bufferedValues();
      writer.write(spark, root);
    }
    return new Summary(runs.size(), epochs, rows, values, (System.nanoTime() - started) / 1e9);
  }

  private static TelemetryWriter.RunRecorder train(TelemetryWriter writer, Run run, int index) {
    TelemetryWriter.RunRecorder recorder =
        writer.recorder(
            run.runId(),
            run.experiment(),
            Timestamp.from(START.plusSeconds(600L * index)),
            run.params());
    new Trainer(run.config()).train(run.split(), recorder);
    return recorder;
  }
}
