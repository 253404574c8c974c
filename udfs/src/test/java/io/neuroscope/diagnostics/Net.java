package io.neuroscope.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test fixture: a network of layers 0 … L−1 (the last is the output layer) and the tensors of one
 * epoch, each built with the probe the production code chooses for its kind and layer.
 */
final class Net {
  static final double TOL = 1e-12;

  final Settings s;
  final Map<Integer, LayerInfo> layers = new LinkedHashMap<>();
  final EpochTensors tensors;

  private Net(Settings s, Map<Integer, LayerInfo> layers) {
    this.s = s;
    this.layers.putAll(layers);
    this.tensors = new EpochTensors(layers);
  }

  /** Layers named by their activations, fan_in = fan_out = 4. */
  static Net of(Settings s, String... activations) {
    Map<Integer, LayerInfo> m = new LinkedHashMap<>();
    for (int i = 0; i < activations.length; i++)
      m.put(i, new LayerInfo(i, "layer" + i, activations[i], 4, 4));
    return new Net(s, m);
  }

  static Net of(Settings s, LayerInfo... layers) {
    Map<Integer, LayerInfo> m = new LinkedHashMap<>();
    for (LayerInfo l : layers) m.put(l.layer(), l);
    return new Net(s, m);
  }

  /** A network of n layers, all "linear". */
  static Net layers(Settings s, int n) {
    String[] a = new String[n];
    java.util.Arrays.fill(a, "linear");
    return of(s, a);
  }

  TensorProbe probe(TensorKind kind, int layer) {
    TensorProbe p = TensorProbe.of(kind, layers.get(layer), tensors.isHidden(layer), s);
    return p == null
        ? TensorProbe.MOMENTS_ONLY
        : p; // output-layer activations: read by no diagnostic
  }

  Net put(TensorKind kind, int layer, int rows, int cols, float... values) {
    tensors.put(kind, layer, new TensorStats(probe(kind, layer)).add(values, rows, cols));
    return this;
  }

  Net putD(TensorKind kind, int layer, int rows, int cols, double... values) {
    tensors.put(kind, layer, new TensorStats(probe(kind, layer)).add(values, rows, cols));
    return this;
  }

  /** A 1 × n row of values (a separate name, so int literals never bind to rows/cols). */
  Net row(TensorKind kind, int layer, float... values) {
    return put(kind, layer, 1, values.length, values);
  }

  Net rowD(TensorKind kind, int layer, double... values) {
    return putD(kind, layer, 1, values.length, values);
  }

  static Finding network(List<Finding> findings) {
    Finding f = findings.get(0);
    assertNull(f.layer(), "the network row comes first");
    return f;
  }

  static Finding layer(List<Finding> findings, int layer) {
    return findings.stream()
        .filter(f -> f.layer() != null && f.layer() == layer)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row for layer " + layer + " in " + findings));
  }

  static List<Integer> layerIndices(List<Finding> findings) {
    return findings.stream().skip(1).map(Finding::layer).toList();
  }

  static void assertFinding(Finding f, double value, Status status) {
    assertEquals(value, f.value(), TOL, () -> "value of " + f);
    assertEquals(status, f.status(), () -> "status of " + f);
  }

  static void assertUnknown(Finding f) {
    assertEquals(Status.UNKNOWN, f.status(), () -> "status of " + f);
    assertEquals(0.0, f.value(), 0.0, "UNKNOWN carries value 0");
  }

  static Settings with(String... keyValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) m.put(keyValues[i], keyValues[i + 1]);
    return Settings.defaults().with(m);
  }

  static float[] repeat(float v, int n) {
    float[] a = new float[n];
    java.util.Arrays.fill(a, v);
    return a;
  }

  static double[] repeatD(double v, int n) {
    double[] a = new double[n];
    java.util.Arrays.fill(a, v);
    return a;
  }
}
