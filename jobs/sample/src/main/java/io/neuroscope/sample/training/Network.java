package io.neuroscope.sample.training;

import java.util.ArrayList;
import java.util.List;

/**
 * A dense multi-layer perceptron: a chain of {@link Layer}s with a forward pass and
 * backpropagation. Only the output layer may use softmax. Single-threaded and deterministic.
 */
public final class Network {
  private final Layer[] layers;

  private Network(Layer[] layers) {
    if (layers.length == 0) {
      throw new IllegalArgumentException("a network needs at least one layer");
    }
    for (int l = 0; l < layers.length; l++) {
      if (l > 0 && layers[l].fanIn() != layers[l - 1].fanOut()) {
        throw new IllegalArgumentException(
            "layer "
                + l
                + " has fan_in "
                + layers[l].fanIn()
                + " but layer "
                + (l - 1)
                + " has fan_out "
                + layers[l - 1].fanOut());
      }
      if (l < layers.length - 1 && layers[l].activation() == Activation.SOFTMAX) {
        throw new IllegalArgumentException(
            "softmax is only supported on the output layer (layer " + l + ")");
      }
    }
    this.layers = layers;
  }

  /**
   * A fresh network {@code inputs → hidden[0] → … → outputs}, every hidden layer with {@code
   * hiddenActivation}, weights drawn from {@code init} with {@code seed} (layer 0 first,
   * row-major), biases zero.
   */
  public static Network create(
      int inputs,
      List<Integer> hidden,
      Activation hiddenActivation,
      int outputs,
      Activation outputActivation,
      Init init,
      long seed) {
    return create(inputs, hidden, hiddenActivation, outputs, outputActivation, init, new Rng(seed));
  }

  static Network create(
      int inputs,
      List<Integer> hidden,
      Activation hiddenActivation,
      int outputs,
      Activation outputActivation,
      Init init,
      Rng rng) {
    Layer[] layers = new Layer[hidden.size() + 1];
    int fanIn = inputs;
    for (int l = 0; l < layers.length; l++) {
      boolean output = l == hidden.size();
      int fanOut = output ? outputs : hidden.get(l);
      layers[l] = new Layer(l, fanIn, fanOut, output ? outputActivation : hiddenActivation);
      init.fill(layers[l].weights, fanIn, fanOut, rng);
      fanIn = fanOut;
    }
    return new Network(layers);
  }

  /** A deep copy (same parameters, independent of this one). */
  public Network copy() {
    Layer[] c = new Layer[layers.length];
    for (int l = 0; l < c.length; l++) {
      c[l] = layers[l].copy();
    }
    return new Network(c);
  }

  /** Number of layers (hidden layers + the output layer). */
  public int depth() {
    return layers.length;
  }

  public Layer layer(int index) {
    return layers[index];
  }

  public int inputs() {
    return layers[0].fanIn();
  }

  public int outputs() {
    return layers[layers.length - 1].fanOut();
  }

  public Activation outputActivation() {
    return layers[layers.length - 1].activation();
  }

  /** The architecture, one entry per layer, input side first. */
  public List<LayerInfo> layout() {
    List<LayerInfo> out = new ArrayList<>(layers.length);
    for (Layer layer : layers) {
      out.add(layer.info());
    }
    return List.copyOf(out);
  }

  /** Snapshots of every layer's W (fan_in × fan_out). */
  public List<Matrix> weights() {
    List<Matrix> out = new ArrayList<>(layers.length);
    for (Layer layer : layers) {
      out.add(layer.weights());
    }
    return List.copyOf(out);
  }

  /** Snapshots of every layer's b (1 × fan_out). */
  public List<Matrix> biases() {
    List<Matrix> out = new ArrayList<>(layers.length);
    for (Layer layer : layers) {
      out.add(layer.bias());
    }
    return List.copyOf(out);
  }

  /**
   * The post-activation outputs of every layer for {@code rows} samples of {@code x} (rows ×
   * inputs).
   */
  public List<Matrix> activations(double[] x, int rows) {
    Pass pass = forward(x, rows);
    List<Matrix> out = new ArrayList<>(layers.length);
    for (int l = 0; l < layers.length; l++) {
      out.add(new Matrix(rows, layers[l].fanOut(), pass.a[l]));
    }
    return List.copyOf(out);
  }

  /** The network's output, rows × outputs. */
  public double[] predict(double[] x, int rows) {
    return forward(x, rows).output();
  }

  /** The mean loss over {@code rows} samples with targets {@code y} (rows × outputs). */
  public double loss(double[] x, double[] y, int rows, Loss loss) {
    loss.checkOutput(outputActivation());
    return lossOf(forward(x, rows), y, loss);
  }

  /**
   * Backpropagation: the loss of the batch, with dL/dW and dL/db of every layer written into {@code
   * into}.
   */
  public double gradients(double[] x, double[] y, int rows, Loss loss, Gradients into) {
    loss.checkOutput(outputActivation());
    Pass pass = forward(x, rows);
    backward(pass, y, loss, into);
    return lossOf(pass, y, loss);
  }

  /** The intermediate values of one forward pass: z and a of every layer (rows × fan_out each). */
  static final class Pass {
    final double[] input;
    final int rows;
    final double[][] z;
    final double[][] a;

    Pass(double[] input, int rows, int depth) {
      this.input = input;
      this.rows = rows;
      this.z = new double[depth][];
      this.a = new double[depth][];
    }

    double[] output() {
      return a[a.length - 1];
    }
  }

  Pass forward(double[] x, int rows) {
    if (x.length < rows * inputs()) {
      throw new IllegalArgumentException(
          "need " + rows + " × " + inputs() + " inputs, got " + x.length);
    }
    Pass pass = new Pass(x, rows, layers.length);
    double[] in = x;
    for (int l = 0; l < layers.length; l++) {
      Layer layer = layers[l];
      double[] z = new double[rows * layer.fanOut()];
      double[] a = new double[z.length];
      layer.preActivation(in, rows, z);
      layer.activation().apply(z, a, rows, layer.fanOut());
      pass.z[l] = z;
      pass.a[l] = a;
      in = a;
    }
    return pass;
  }

  double lossOf(Pass pass, double[] y, Loss loss) {
    int last = layers.length - 1;
    return loss.value(pass.z[last], pass.a[last], y, pass.rows, layers[last].fanOut());
  }

  void backward(Pass pass, double[] y, Loss loss, Gradients into) {
    int rows = pass.rows;
    int last = layers.length - 1;
    double[] delta = new double[rows * layers[last].fanOut()];
    loss.outputDelta(
        layers[last].activation(),
        pass.z[last],
        pass.a[last],
        y,
        rows,
        layers[last].fanOut(),
        delta);
    for (int l = last; l >= 0; l--) {
      Layer layer = layers[l];
      double[] in = l == 0 ? pass.input : pass.a[l - 1];
      layer.parameterGradients(in, delta, rows, into.weights[l], into.biases[l]);
      if (l > 0) {
        double[] previous = new double[rows * layer.fanIn()];
        layer.inputGradient(delta, rows, previous);
        layers[l - 1]
            .activation()
            .multiplyByDerivative(previous, pass.z[l - 1], pass.a[l - 1], previous.length);
        delta = previous;
      }
    }
  }
}
