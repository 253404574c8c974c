package io.neuroscope.sample.training;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every hyperparameter of one training run. Build one with {@link #builder()}; the defaults are a 2
 * × 32 relu network with softmax/cross-entropy output, He init, Adam at 1e-3, 20 epochs of batch
 * 32, seed 0, no clipping.
 *
 * @param hiddenWidths neurons per hidden layer, input side first (may be empty: a linear/softmax
 *     model)
 * @param hiddenActivation the activation of every hidden layer (not softmax)
 * @param outputActivation softmax with cross-entropy; linear, sigmoid, tanh, relu or leaky_relu
 *     with MSE
 * @param epochs full passes over the training set
 * @param batchSize samples per step; the last batch of an epoch may be smaller
 * @param seed drives the initial weights and the per-epoch shuffles (the dataset has its own seed)
 * @param clipNorm clip the gradient to this global L2 norm (weights and biases together) before
 *     each update; 0 = off
 * @param monitorSamples the monitoring batch is the first min(monitorSamples, train size) training
 *     samples
 * @param monitorStep the step of each epoch whose gradients and ΔW are reported, 0-based; −1 = the
 *     last step; a step past the end is read as the last step
 */
public record TrainingConfig(
    List<Integer> hiddenWidths,
    Activation hiddenActivation,
    Activation outputActivation,
    Init init,
    Optimizer optimizer,
    Loss loss,
    int epochs,
    int batchSize,
    long seed,
    double clipNorm,
    int monitorSamples,
    int monitorStep) {

  public TrainingConfig {
    hiddenWidths = List.copyOf(hiddenWidths);
    for (int w : hiddenWidths) {
      if (w <= 0) {
        throw new IllegalArgumentException("hidden widths must be positive, got " + hiddenWidths);
      }
    }
    if (hiddenActivation == Activation.SOFTMAX) {
      throw new IllegalArgumentException("softmax is only supported on the output layer");
    }
    loss.checkOutput(outputActivation);
    if (epochs < 0 || batchSize <= 0 || monitorSamples <= 0 || monitorStep < -1) {
      throw new IllegalArgumentException(
          "need epochs ≥ 0, batch size > 0, monitor samples > 0, monitor step ≥ −1");
    }
    if (!(clipNorm >= 0 && clipNorm < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(
          "clip norm must be ≥ 0 and finite (0 = off), got " + clipNorm);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder preset with this config's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.hiddenWidths = hiddenWidths;
    b.hiddenActivation = hiddenActivation;
    b.outputActivation = outputActivation;
    b.init = init;
    b.optimizer = optimizer;
    b.loss = loss;
    b.epochs = epochs;
    b.batchSize = batchSize;
    b.seed = seed;
    b.clipNorm = clipNorm;
    b.monitorSamples = monitorSamples;
    b.monitorStep = monitorStep;
    return b;
  }

  public boolean clipping() {
    return clipNorm > 0;
  }

  /**
   * Every hyperparameter as telemetry {@code runs.params}: learning_rate, optimizer (and its own
   * settings), batch_size, epochs, hidden_activation, output_activation, init (and init_std for
   * scaled-normal), loss, depth (hidden layers), hidden_widths (comma-separated), width (the widest
   * hidden layer), seed, clip_norm ("0" = off).
   */
  public Map<String, String> params() {
    Map<String, String> p = new LinkedHashMap<>(optimizer.params());
    p.put("optimizer", optimizer.id());
    p.put("batch_size", Integer.toString(batchSize));
    p.put("epochs", Integer.toString(epochs));
    p.put("hidden_activation", hiddenActivation.id());
    p.put("output_activation", outputActivation.id());
    p.put("init", init.id());
    if (init.scheme() == Init.Scheme.NORMAL) {
      p.put("init_std", Double.toString(init.std()));
    }
    p.put("loss", loss.id());
    p.put("depth", Integer.toString(hiddenWidths.size()));
    p.put(
        "hidden_widths",
        hiddenWidths.stream().map(String::valueOf).collect(Collectors.joining(",")));
    p.put(
        "width",
        Integer.toString(hiddenWidths.stream().mapToInt(Integer::intValue).max().orElse(0)));
    p.put("seed", Long.toString(seed));
    p.put("clip_norm", Double.toString(clipNorm));
    return p;
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private List<Integer> hiddenWidths = List.of(32, 32);
    private Activation hiddenActivation = Activation.RELU;
    private Activation outputActivation = Activation.SOFTMAX;
    private Init init = Init.he();
    private Optimizer optimizer = Optimizer.adam(1e-3);
    private Loss loss = Loss.CROSS_ENTROPY;
    private int epochs = 20;
    private int batchSize = 32;
    private long seed;
    private double clipNorm;
    private int monitorSamples = 128;
    private int monitorStep;

    private Builder() {}

    public Builder hidden(int... widths) {
      this.hiddenWidths = Arrays.stream(widths).boxed().collect(Collectors.toList());
      return this;
    }

    public Builder hidden(List<Integer> widths) {
      this.hiddenWidths = widths;
      return this;
    }

    /** {@code depth} hidden layers of {@code width} neurons each. */
    public Builder hiddenLayers(int depth, int width) {
      int[] w = new int[depth];
      Arrays.fill(w, width);
      return hidden(w);
    }

    public Builder hiddenActivation(Activation a) {
      this.hiddenActivation = a;
      return this;
    }

    public Builder outputActivation(Activation a) {
      this.outputActivation = a;
      return this;
    }

    public Builder init(Init init) {
      this.init = init;
      return this;
    }

    public Builder optimizer(Optimizer optimizer) {
      this.optimizer = optimizer;
      return this;
    }

    /**
     * Sets the loss, and the output activation that goes with it: softmax for cross-entropy, linear
     * for MSE.
     */
    public Builder loss(Loss loss) {
      this.loss = loss;
      this.outputActivation = loss == Loss.CROSS_ENTROPY ? Activation.SOFTMAX : Activation.LINEAR;
      return this;
    }

    public Builder epochs(int epochs) {
      this.epochs = epochs;
      return this;
    }

    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Clip to this global norm; 0 = off. */
    public Builder clipNorm(double clipNorm) {
      this.clipNorm = clipNorm;
      return this;
    }

    public Builder monitorSamples(int monitorSamples) {
      this.monitorSamples = monitorSamples;
      return this;
    }

    public Builder monitorStep(int monitorStep) {
      this.monitorStep = monitorStep;
      return this;
    }

    public TrainingConfig build() {
      return new TrainingConfig(
          hiddenWidths,
          hiddenActivation,
          outputActivation,
          init,
          optimizer,
          loss,
          epochs,
          batchSize,
          seed,
          clipNorm,
          monitorSamples,
          monitorStep);
    }
  }
}
