package io.neuroscope.diagnostics;

import java.io.Serializable;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the tensor diagnostics see of one run and epoch: the run's layers and the statistics of each
 * tensor logged that epoch, by kind and layer. Layer L−1 (the largest index in {@code layers}) is
 * the output layer; the others are hidden.
 */
public final class EpochTensors implements Serializable {
  private final SortedMap<Integer, LayerInfo> layers;
  private final Map<TensorKind, SortedMap<Integer, TensorStats>> tensors =
      new EnumMap<>(TensorKind.class);

  public EpochTensors(Map<Integer, LayerInfo> layers) {
    this.layers = Collections.unmodifiableSortedMap(new TreeMap<>(layers));
    for (TensorKind k : TensorKind.values()) tensors.put(k, new TreeMap<>());
  }

  public EpochTensors put(TensorKind kind, int layer, TensorStats stats) {
    tensors.get(kind).put(layer, stats);
    return this;
  }

  public LayerInfo layer(int layer) {
    return layers.get(layer);
  }

  public boolean isHidden(int layer) {
    return !layers.isEmpty() && layer < layers.lastKey();
  }

  /** Every layer's tensor of this kind, in forward order. */
  public SortedMap<Integer, TensorStats> all(TensorKind kind) {
    return Collections.unmodifiableSortedMap(tensors.get(kind));
  }

  /** The hidden layers' tensors of this kind, in forward order. */
  public SortedMap<Integer, TensorStats> hidden(TensorKind kind) {
    SortedMap<Integer, TensorStats> h = new TreeMap<>();
    tensors
        .get(kind)
        .forEach(
            (layer, t) -> {
              if (isHidden(layer)) h.put(layer, t);
            });
    return h;
  }

  /** sqrt(Σ_l Σ g²) over the weight gradients (plateau, method 3); null when none were logged. */
  public Double globalGradientNorm() {
    SortedMap<Integer, TensorStats> g = tensors.get(TensorKind.GRADIENTS);
    if (g.isEmpty()) return null;
    double sum = 0;
    for (TensorStats t : g.values()) sum += t.sumOfSquares();
    return Math.sqrt(sum);
  }
}
