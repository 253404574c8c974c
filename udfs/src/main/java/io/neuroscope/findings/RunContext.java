package io.neuroscope.findings;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** A run's rows arranged for the rules: by diagnostic and epoch, with its losses. */
final class RunContext {
  final RunHistory run;
  final List<Integer> epochs;
  private final Map<Integer, Integer> position = new HashMap<>();
  final Map<String, TreeMap<Integer, Reading>> network = new HashMap<>();
  private final Map<String, Map<Integer, List<Reading>>> layers = new HashMap<>();
  final double firstTrain;

  RunContext(RunHistory run) {
    this.run = run;
    TreeSet<Integer> epochSet = new TreeSet<>(run.losses().keySet());
    for (Reading r : run.readings()) {
      epochSet.add(r.epoch());
      if (r.networkLevel())
        network.computeIfAbsent(r.diagnostic(), k -> new TreeMap<>()).put(r.epoch(), r);
      else
        layers
            .computeIfAbsent(r.diagnostic(), k -> new HashMap<>())
            .computeIfAbsent(r.epoch(), k -> new ArrayList<>())
            .add(r);
    }
    epochs = List.copyOf(epochSet);
    for (int i = 0; i < epochs.size(); i++) position.put(epochs.get(i), i + 1);
    double first = Double.NaN;
    for (RunHistory.Losses l : run.losses().values()) {
      if (Double.isFinite(l.train())) {
        first = l.train();
        break;
      }
    }
    firstTrain = first;
  }

  /** 1 for the run's first epoch. */
  int position(int epoch) {
    return position.get(epoch);
  }

  int epochAt(int position) {
    return epochs.get(position - 1);
  }

  TreeMap<Integer, Reading> network(String diagnostic) {
    return network.getOrDefault(diagnostic, new TreeMap<>());
  }

  List<Reading> layers(String diagnostic, int epoch) {
    return layers.getOrDefault(diagnostic, Map.of()).getOrDefault(epoch, List.of());
  }

  double trainLoss(int epoch) {
    RunHistory.Losses l = run.losses().get(epoch);
    return l == null ? Double.NaN : l.train();
  }

  double valLoss(int epoch) {
    RunHistory.Losses l = run.losses().get(epoch);
    return l == null || l.val() == null ? Double.NaN : l.val();
  }

  /** The epoch ≤ {@code epoch} with the lowest finite validation loss (earliest on ties), or -1. */
  int bestValEpoch(int epoch) {
    int best = -1;
    double v = Double.POSITIVE_INFINITY;
    for (Map.Entry<Integer, RunHistory.Losses> e : run.losses().headMap(epoch + 1).entrySet()) {
      Double val = e.getValue().val();
      if (val != null && Double.isFinite(val) && val < v) {
        v = val;
        best = e.getKey();
      }
    }
    return best;
  }
}
