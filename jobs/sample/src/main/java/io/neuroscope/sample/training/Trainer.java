package io.neuroscope.sample.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Mini-batch training of a {@link Network} by one {@link TrainingConfig}.
 *
 * <p>Each epoch shuffles the training set with a seeded generator, takes batches of {@code
 * batchSize} in that order, and for each computes the loss and the gradients by backpropagation,
 * clips them by global norm if asked, and lets the optimizer update every weight and bias. After
 * the epoch it measures the validation loss and, when there are listeners, a clean forward pass of
 * the monitoring batch and the weights, and reports the monitored step.
 *
 * <p>A run that diverges is not an error: losses and tensors go to ±∞ or NaN and training carries
 * on to the last epoch.
 */
public final class Trainer {
  private final TrainingConfig config;

  public Trainer(TrainingConfig config) {
    this.config = config;
  }

  public TrainingConfig config() {
    return config;
  }

  /** The network {@link #train} starts from, for a dataset of the given shape. */
  public Network initialNetwork(int inputs, int outputs) {
    return createNetwork(inputs, outputs, new Rng(config.seed()).split());
  }

  public TrainingResult train(Dataset.Split data, EpochListener... listeners) {
    return train(data, Arrays.asList(listeners));
  }

  public TrainingResult train(Dataset.Split data, List<EpochListener> listeners) {
    Dataset train = data.train();
    Dataset validation = data.validation();
    Rng root = new Rng(config.seed());
    Network network = createNetwork(train.inputs(), train.outputs(), root.split());
    Rng shuffle = root.split();
    boolean monitoring = !listeners.isEmpty();
    for (EpochListener listener : listeners) {
      listener.onStart(network.layout());
    }

    int depth = network.depth();
    Optimizer.State[] weightStates = new Optimizer.State[depth];
    Optimizer.State[] biasStates = new Optimizer.State[depth];
    double[][] weightDeltas = new double[depth][];
    double[][] biasDeltas = new double[depth][];
    for (int l = 0; l < depth; l++) {
      Layer layer = network.layer(l);
      weightStates[l] = config.optimizer().newState(layer.weights.length);
      biasStates[l] = config.optimizer().newState(layer.bias.length);
      weightDeltas[l] = new double[layer.weights.length];
      biasDeltas[l] = new double[layer.bias.length];
    }
    Gradients gradients = new Gradients(network);

    int n = train.size();
    int d = train.inputs();
    int k = train.outputs();
    int batchSize = Math.min(config.batchSize(), n);
    int steps = (n + batchSize - 1) / batchSize;
    int monitoredStep =
        config.monitorStep() < 0 ? steps - 1 : Math.min(config.monitorStep(), steps - 1);
    int monitorRows = Math.min(config.monitorSamples(), n);
    double[] monitorX = Arrays.copyOf(train.x, monitorRows * d);
    double[] batchX = new double[batchSize * d];
    double[] batchY = new double[batchSize * k];
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }

    int epochs = config.epochs();
    double[] trainLosses = new double[epochs];
    double[] validationLosses = new double[epochs];
    double[] validationAccuracies = new double[epochs];
    for (int epoch = 1; epoch <= epochs; epoch++) {
      shuffle.shuffle(order);
      double lossSum = 0;
      double maxNorm = 0;
      StepSnapshot snapshot = null;
      for (int step = 0; step < steps; step++) {
        int from = step * batchSize;
        int rows = Math.min(batchSize, n - from);
        for (int r = 0; r < rows; r++) {
          int src = order[from + r];
          System.arraycopy(train.x, src * d, batchX, r * d, d);
          System.arraycopy(train.y, src * k, batchY, r * k, k);
        }
        lossSum += network.gradients(batchX, batchY, rows, config.loss(), gradients);
        double norm = gradients.globalNorm();
        maxNorm = Math.max(maxNorm, norm); // NaN once any step's norm is NaN
        boolean monitored = monitoring && step == monitoredStep;
        List<Matrix> weightGradients = monitored ? gradients.weightGradients() : null;
        List<Matrix> biasGradients = monitored ? gradients.biasGradients() : null;
        boolean clipped = config.clipping() && norm > config.clipNorm();
        if (clipped) {
          gradients.scale(config.clipNorm() / norm);
        }
        for (int l = 0; l < depth; l++) {
          Layer layer = network.layer(l);
          weightStates[l].step(layer.weights, gradients.weights[l], weightDeltas[l]);
          biasStates[l].step(layer.bias, gradients.biases[l], biasDeltas[l]);
        }
        if (monitored) {
          List<Matrix> updates = new ArrayList<>(depth);
          for (int l = 0; l < depth; l++) {
            updates.add(
                new Matrix(network.layer(l).fanIn(), network.layer(l).fanOut(), weightDeltas[l]));
          }
          snapshot = new StepSnapshot(step, weightGradients, biasGradients, updates, norm, clipped);
        }
      }
      double trainLoss = lossSum / steps;
      OptionalDouble validationLoss = OptionalDouble.empty();
      OptionalDouble validationAccuracy = OptionalDouble.empty();
      if (validation.size() > 0) {
        Network.Pass pass = network.forward(validation.x, validation.size());
        validationLoss = OptionalDouble.of(network.lossOf(pass, validation.y, config.loss()));
        if (validation.isClassification()) {
          validationAccuracy = OptionalDouble.of(accuracy(pass.output(), validation));
        }
      }
      trainLosses[epoch - 1] = trainLoss;
      validationLosses[epoch - 1] = validationLoss.orElse(Double.NaN);
      validationAccuracies[epoch - 1] = validationAccuracy.orElse(Double.NaN);
      if (monitoring) {
        EpochReport report =
            new EpochReport(
                epoch,
                trainLoss,
                validationLoss,
                validationAccuracy,
                network.activations(monitorX, monitorRows),
                snapshot,
                maxNorm,
                network.weights(),
                network.biases());
        for (EpochListener listener : listeners) {
          listener.onEpoch(report);
        }
      }
    }
    return new TrainingResult(network, trainLosses, validationLosses, validationAccuracies);
  }

  private Network createNetwork(int inputs, int outputs, Rng initRng) {
    return Network.create(
        inputs,
        config.hiddenWidths(),
        config.hiddenActivation(),
        outputs,
        config.outputActivation(),
        config.init(),
        initRng);
  }

  /** The share of samples whose arg-max output (first on ties; NaN never wins) is their label. */
  static double accuracy(double[] output, Dataset data) {
    int k = data.outputs();
    int correct = 0;
    for (int s = 0; s < data.size(); s++) {
      int best = 0;
      for (int c = 1; c < k; c++) {
        if (output[s * k + c] > output[s * k + best]) {
          best = c;
        }
      }
      if (best == data.label(s)) {
        correct++;
      }
    }
    return (double) correct / data.size();
  }
}
