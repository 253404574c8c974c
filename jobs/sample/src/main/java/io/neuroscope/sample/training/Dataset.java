package io.neuroscope.sample.training;

import java.util.Arrays;

/**
 * A set of samples: inputs x (size × inputs, row-major) and targets y (size × outputs). For
 * classification y holds one-hot rows and {@link #labels()} the integer classes. Immutable: the
 * arrays are copied in and out.
 */
public final class Dataset {
  private final String name;
  private final int inputs;
  private final int outputs;
  private final int size;
  final double[] x;
  final double[] y;
  private final int[] labels;

  private Dataset(String name, int inputs, int outputs, double[] x, double[] y, int[] labels) {
    if (inputs <= 0
        || outputs <= 0
        || x.length % inputs != 0
        || y.length != x.length / inputs * outputs) {
      throw new IllegalArgumentException(
          "inconsistent dataset '"
              + name
              + "': "
              + x.length
              + " inputs of width "
              + inputs
              + ", "
              + y.length
              + " targets of width "
              + outputs);
    }
    this.name = name;
    this.inputs = inputs;
    this.outputs = outputs;
    this.size = x.length / inputs;
    this.x = x;
    this.y = y;
    this.labels = labels;
  }

  /** Samples with integer class labels in [0, classes), stored as one-hot targets. */
  public static Dataset classification(
      String name, double[] x, int inputs, int[] labels, int classes) {
    if (x.length != labels.length * inputs) {
      throw new IllegalArgumentException(
          labels.length + " labels for " + x.length / inputs + " samples");
    }
    double[] y = new double[labels.length * classes];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException("label " + labels[i] + " outside [0, " + classes + ")");
      }
      y[i * classes + labels[i]] = 1.0;
    }
    return new Dataset(name, inputs, classes, x.clone(), y, labels.clone());
  }

  /** Samples with real-valued targets y (size × outputs). */
  public static Dataset regression(String name, double[] x, int inputs, double[] y, int outputs) {
    return new Dataset(name, inputs, outputs, x.clone(), y.clone(), null);
  }

  public String name() {
    return name;
  }

  public int inputs() {
    return inputs;
  }

  /** Target width: the number of classes, or of regression outputs. */
  public int outputs() {
    return outputs;
  }

  public int size() {
    return size;
  }

  public boolean isClassification() {
    return labels != null;
  }

  /** A copy of the inputs, size × inputs. */
  public double[] x() {
    return x.clone();
  }

  /** A copy of the targets, size × outputs (one-hot for classification). */
  public double[] y() {
    return y.clone();
  }

  /** A copy of the class labels; throws for a regression dataset. */
  public int[] labels() {
    if (labels == null) {
      throw new IllegalStateException("'" + name + "' is a regression dataset");
    }
    return labels.clone();
  }

  int label(int i) {
    return labels[i];
  }

  /** Rows [from, to) as a new dataset. */
  public Dataset rows(int from, int to) {
    if (from < 0 || to > size || from > to) {
      throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") of " + size);
    }
    return new Dataset(
        name,
        inputs,
        outputs,
        Arrays.copyOfRange(x, from * inputs, to * inputs),
        Arrays.copyOfRange(y, from * outputs, to * outputs),
        labels == null ? null : Arrays.copyOfRange(labels, from, to));
  }

  /** The first {@code trainSize} rows for training, the rest for validation. */
  public Split split(int trainSize) {
    return new Split(rows(0, trainSize), rows(trainSize, size));
  }

  /** A train/validation pair; the validation set may be empty. */
  public record Split(Dataset train, Dataset validation) {
    public Split {
      if (train.inputs() != validation.inputs() || train.outputs() != validation.outputs()) {
        throw new IllegalArgumentException("train and validation sets have different shapes");
      }
      if (train.size() == 0) {
        throw new IllegalArgumentException("empty training set");
      }
    }
  }

  @Override
  public String toString() {
    return "Dataset[" + name + ", " + size + " × " + inputs + " → " + outputs + "]";
  }
}
