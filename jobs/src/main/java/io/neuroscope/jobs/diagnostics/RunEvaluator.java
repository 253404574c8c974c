package io.neuroscope.jobs.diagnostics;

import io.neuroscope.diagnostics.Diagnostics;
import io.neuroscope.diagnostics.EpochTensors;
import io.neuroscope.diagnostics.Finding;
import io.neuroscope.diagnostics.LayerInfo;
import io.neuroscope.diagnostics.LossHistory;
import io.neuroscope.diagnostics.TensorKind;
import io.neuroscope.diagnostics.TensorStats;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * One run's diagnostics rows: every epoch in {@code epochs}, its tensors' findings and its
 * history's. An epoch already computed by an earlier run ({@link EpochRow#known}) has its tensors'
 * findings in the table already: it gets only its history's findings, which epochs before it can
 * change, and brings its gradient norm from the recorded state instead of its tensors.
 */
public final class RunEvaluator implements Serializable {
  /**
   * A row of {@code epochs}; {@code known} with the epoch's stored gradient norm where it is not
   * recomputed.
   */
  record EpochRow(int epoch, double trainLoss, Double valLoss, boolean known, Double knownNorm)
      implements Serializable {
    EpochRow(int epoch, double trainLoss, Double valLoss) {
      this(epoch, trainLoss, valLoss, false, null);
    }
  }

  /** A tensor's statistics, keyed within its run. */
  record TensorEntry(int epoch, int layer, TensorKind kind, TensorStats stats)
      implements Serializable {}

  private final Diagnostics diagnostics;

  RunEvaluator(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
  }

  List<Row> evaluate(
      String runId,
      String experiment,
      Iterable<EpochRow> epochRows,
      Iterable<TensorEntry> tensors,
      SortedMap<Integer, LayerInfo> layers) {
    List<EpochRow> epochs = new ArrayList<>();
    epochRows.forEach(epochs::add);
    epochs.sort(Comparator.comparingInt(EpochRow::epoch));
    Map<Integer, LayerInfo> runLayers = layers == null ? new TreeMap<>() : layers;

    Map<Integer, EpochTensors> byEpoch = new HashMap<>();
    for (TensorEntry t : tensors) {
      if (t.stats() == null) continue;
      byEpoch
          .computeIfAbsent(t.epoch(), e -> new EpochTensors(runLayers))
          .put(t.kind(), t.layer(), t.stats());
    }

    int n = epochs.size();
    double[] train = new double[n];
    Double[] val = new Double[n];
    Double[] gradNorms = new Double[n];
    for (int i = 0; i < n; i++) {
      EpochRow e = epochs.get(i);
      train[i] = e.trainLoss();
      val[i] = e.valLoss();
      EpochTensors t = byEpoch.get(e.epoch());
      gradNorms[i] = e.known() ? e.knownNorm() : t == null ? null : t.globalGradientNorm();
    }
    List<LossHistory> histories =
        LossHistory.ofRun(train, val, gradNorms, diagnostics.settings().integer("history.length"));

    List<Row> out = new ArrayList<>();
    EpochTensors none = new EpochTensors(runLayers);
    for (int i = 0; i < n; i++) {
      EpochRow e = epochs.get(i);
      List<Finding> findings =
          e.known()
              ? diagnostics.evaluateHistory(histories.get(i))
              : diagnostics.evaluate(byEpoch.getOrDefault(e.epoch(), none), histories.get(i));
      for (Finding f : findings) {
        out.add(
            RowFactory.create(
                experiment,
                runId,
                e.epoch(),
                f.layer(),
                f.diagnostic(),
                f.value(),
                f.status().name(),
                CollectionConverters.asScala(f.details())));
      }
    }
    return out;
  }
}
