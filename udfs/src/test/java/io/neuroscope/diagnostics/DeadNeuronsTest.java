package io.neuroscope.diagnostics;

import static io.neuroscope.diagnostics.Net.assertFinding;
import static io.neuroscope.diagnostics.Net.assertUnknown;
import static io.neuroscope.diagnostics.Net.layer;
import static io.neuroscope.diagnostics.Net.network;
import static io.neuroscope.diagnostics.TensorKind.ACTIVATIONS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeadNeuronsTest {
  private static final Settings S = Settings.defaults();

  /** rows x neurons activations: the first {@code dead} columns are 0 in every row, the rest 1. */
  private static float[] withDeadColumns(int rows, int neurons, int dead) {
    float[] v = new float[rows * neurons];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < neurons; c++) v[r * neurons + c] = c < dead ? 0f : 1f;
    }
    return v;
  }

  private static List<Finding> oneHiddenLayer(
      Settings s, String activation, int neurons, int dead) {
    Net n =
        Net.of(s, activation, "linear")
            .put(ACTIVATIONS, 0, 4, neurons, withDeadColumns(4, neurons, dead));
    return new DeadNeurons(s).evaluate(n.tensors);
  }

  @ParameterizedTest(name = "{1} dead of {0} -> {2} {3}")
  @CsvSource({
    "10, 0, 0,                  HEALTHY",
    "10, 1, 10,                 HEALTHY", // 100·1/10 = 10: not > 10
    "9,  1, 11.111111111111111, WARNING", // 100·1/9 just above 10
    "10, 3, 30,                 WARNING", // 100·3/10 = 30: not > 30
    "13, 4, 30.76923076923077,  CRITICAL", // 100·4/13 just above 30
    "4,  4, 100,                CRITICAL"
  })
  void valueIsThePercentageOfDeadNeuronsWithStrictBands(
      int neurons, int dead, double value, Status status) {
    List<Finding> f = oneHiddenLayer(S, "relu", neurons, dead);
    assertFinding(network(f), value, status);
    assertFinding(layer(f, 0), value, status);
    assertEquals(2, f.size());
  }

  @Test
  void networkValuePoolsNeuronsOverLayersRatherThanAveragingPercentages() {
    Net n =
        Net.of(S, "relu", "relu", "linear")
            .put(ACTIVATIONS, 0, 4, 10, withDeadColumns(4, 10, 1))
            .put(ACTIVATIONS, 1, 4, 5, withDeadColumns(4, 5, 3));
    List<Finding> f = new DeadNeurons(S).evaluate(n.tensors);
    // 100·(1+3)/(10+5) = 26.67 -> WARNING (the mean of 10 % and 60 % would be 35 -> CRITICAL)
    assertFinding(network(f), 400.0 / 15, Status.WARNING);
    assertEquals(4.0, network(f).details().get("dead_neurons"));
    assertEquals(15.0, network(f).details().get("neurons"));
    assertFinding(layer(f, 0), 10, Status.HEALTHY);
    assertFinding(layer(f, 1), 60, Status.CRITICAL);
    assertEquals(List.of(0, 1), Net.layerIndices(f));
  }

  /**
   * 20 rows x 4 neurons, one activation set per column: col0 all 5e-7 (zero only within the leaky
   * tolerance 1e-6); col1 18 of 20 rows exactly 0, 2 rows 1 (zero ratio 0.9: dead only with
   * threshold 0.85); col2 all 5e-8 (zero within the default 1e-7 and leaky 1e-6 tolerances, not
   * relu's 1e-8); col3 all 5e-9 (zero within every tolerance). relu: col3 -> 1/4 = 25; leaky_relu:
   * all four -> 100; default: col1, col2, col3 -> 75.
   */
  private static float[] familyProbe() {
    float[] v = new float[20 * 4];
    for (int r = 0; r < 20; r++) {
      v[r * 4] = 5e-7f;
      v[r * 4 + 1] = r < 18 ? 0f : 1f;
      v[r * 4 + 2] = 5e-8f;
      v[r * 4 + 3] = -5e-9f; // |a| is compared
    }
    return v;
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "relu,       25", "ReLU,       25", "my_relu,    25", "PReLU,      25",
    "leaky_relu, 100", "LeakyReLU,  100", "lrelu,      100", "Leaky_ReLU, 100",
    "tanh,       75", "sigmoid,    75", "leaky,      75", "linear,     75"
  })
  void activationFamilyChoosesZeroToleranceAndDeadThreshold(String activation, double value) {
    Net n = Net.of(S, activation, "linear").put(ACTIVATIONS, 0, 20, 4, familyProbe());
    assertEquals(value, network(new DeadNeurons(S).evaluate(n.tensors)).value(), Net.TOL);
  }

  @Test
  void zeroToleranceIsInclusive() {
    // |a| ≤ 1e-8 (relu): a column exactly at 1e-8 is zero, one at 1.0000001e-8 is not.
    double[] v = new double[10 * 2];
    for (int r = 0; r < 10; r++) {
      v[r * 2] = 1e-8;
      v[r * 2 + 1] = 1.0000001e-8;
    }
    Net n = Net.of(S, "relu", "linear").putD(ACTIVATIONS, 0, 10, 2, v);
    assertFinding(network(new DeadNeurons(S).evaluate(n.tensors)), 50, Status.CRITICAL); // 100·1/2
  }

  @Test
  void deadThresholdIsStrict() {
    // relu, 10 rows: col0 zero in 9 rows (0.9, not > 0.90), col1 zero in all 10 -> 1 of 2 dead
    float[] v = new float[10 * 2];
    for (int r = 0; r < 10; r++) {
      v[r * 2] = r < 9 ? 0f : 1f;
      v[r * 2 + 1] = 0f;
    }
    Net relu = Net.of(S, "relu", "linear").put(ACTIVATIONS, 0, 10, 2, v);
    assertFinding(network(new DeadNeurons(S).evaluate(relu.tensors)), 50, Status.CRITICAL);
    // leaky_relu, 20 rows: col0 zero in 17 (0.85, not > 0.85), col1 in 18 (0.9) -> 1 of 2
    float[] w = new float[20 * 2];
    for (int r = 0; r < 20; r++) {
      w[r * 2] = r < 17 ? 0f : 1f;
      w[r * 2 + 1] = r < 18 ? 0f : 1f;
    }
    Net leaky = Net.of(S, "leaky_relu", "linear").put(ACTIVATIONS, 0, 20, 2, w);
    assertFinding(network(new DeadNeurons(S).evaluate(leaky.tensors)), 50, Status.CRITICAL);
  }

  @Test
  void zeroRatioIsOverAllRowsOfAllChunks() {
    // Two chunks of 5 rows: column 0 zero in all of the first chunk and none of the second -> 0.5:
    // alive.
    TensorProbe p = TensorProbe.of(ACTIVATIONS, new LayerInfo(0, "h", "relu", 4, 4), true, S);
    TensorStats t =
        new TensorStats(p)
            .add(withDeadColumns(5, 2, 1), 5, 2)
            .merge(new TensorStats(p).add(withDeadColumns(5, 2, 0), 5, 2));
    EpochTensors e =
        new EpochTensors(
            Map.of(
                0, new LayerInfo(0, "h", "relu", 4, 4), 1, new LayerInfo(1, "o", "linear", 4, 4)));
    e.put(ACTIVATIONS, 0, t);
    assertFinding(network(new DeadNeurons(S).evaluate(e)), 0, Status.HEALTHY);
  }

  @Test
  void nanActivationsAreNotZero() {
    // A NaN satisfies no comparison: a column of NaN is not "≤ tolerance", so not dead.
    float[] v = new float[4 * 2];
    for (int r = 0; r < 4; r++) {
      v[r * 2] = Float.NaN;
      v[r * 2 + 1] = 0f;
    }
    Net n = Net.of(S, "relu", "linear").put(ACTIVATIONS, 0, 4, 2, v);
    assertFinding(
        network(new DeadNeurons(S).evaluate(n.tensors)), 50, Status.CRITICAL); // only col1
  }

  @Test
  void outputLayerActivationsAreIgnored() {
    Net n =
        Net.of(S, "relu", "relu")
            .put(ACTIVATIONS, 0, 4, 10, withDeadColumns(4, 10, 0))
            .put(ACTIVATIONS, 1, 4, 10, withDeadColumns(4, 10, 10));
    List<Finding> f = new DeadNeurons(S).evaluate(n.tensors);
    assertFinding(network(f), 0, Status.HEALTHY);
    assertEquals(List.of(0), Net.layerIndices(f));
  }

  @Test
  void hiddenLayersWithoutActivationsAreLeftOut() {
    Net n = Net.of(S, "relu", "relu", "linear").put(ACTIVATIONS, 1, 4, 4, withDeadColumns(4, 4, 2));
    List<Finding> f = new DeadNeurons(S).evaluate(n.tensors);
    assertFinding(network(f), 50, Status.CRITICAL); // 100·2/4 over layer 1 only
    assertEquals(List.of(1), Net.layerIndices(f));
  }

  @Test
  void oneLayerNetworkIsUnknown() {
    Net n = Net.of(S, "relu").put(ACTIVATIONS, 0, 4, 4, withDeadColumns(4, 4, 4));
    List<Finding> f = new DeadNeurons(S).evaluate(n.tensors);
    assertUnknown(network(f));
    assertEquals(1, f.size());
  }

  @Test
  void noActivationsIsUnknown() {
    List<Finding> f = new DeadNeurons(S).evaluate(Net.of(S, "relu", "relu", "linear").tensors);
    assertUnknown(network(f));
    assertEquals(1, f.size());
  }

  @Test
  void warningThresholdOverrideChangesTheVerdict() {
    Settings s = Settings.defaults().with(Map.of("dead_neurons.warning_above", "5"));
    assertFinding(network(oneHiddenLayer(S, "relu", 10, 1)), 10, Status.HEALTHY);
    assertFinding(network(oneHiddenLayer(s, "relu", 10, 1)), 10, Status.WARNING);
  }

  @Test
  void deadThresholdOverrideChangesWhichNeuronsAreDead() {
    // relu column zero in 9 of 10 rows: alive at 0.90, dead at 0.8
    float[] v = new float[10];
    for (int r = 0; r < 9; r++) v[r] = 0f;
    v[9] = 1f;
    Settings s = Settings.defaults().with(Map.of("dead_neurons.relu.dead_threshold", "0.8"));
    assertFinding(
        network(
            new DeadNeurons(S)
                .evaluate(Net.of(S, "relu", "linear").put(ACTIVATIONS, 0, 10, 1, v).tensors)),
        0,
        Status.HEALTHY);
    assertFinding(
        network(
            new DeadNeurons(s)
                .evaluate(Net.of(s, "relu", "linear").put(ACTIVATIONS, 0, 10, 1, v).tensors)),
        100,
        Status.CRITICAL);
  }
}
