package io.neuroscope.diagnostics.spark;

import io.neuroscope.diagnostics.LearningProgress;
import io.neuroscope.diagnostics.Overfitting;
import io.neuroscope.diagnostics.Plateau;
import io.neuroscope.diagnostics.Settings;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Registers the diagnostics as SQL functions:
 *
 * <ul>
 *   <li>{@code ns_tensor_stats(values)} — aggregate over a tensor's chunk rows: count, mean,
 *       variance, std, norm, rms, meanAbs, stdAbs, allFinite;
 *   <li>{@code ns_plateau(history)}, {@code ns_overfitting(history)}, {@code
 *       ns_learning_progress(history)} — over {@code collect_list(struct(train_loss, val_loss[,
 *       grad_norm]))} of a run's epochs up to e.
 * </ul>
 */
public final class NeuroScopeFunctions {
  private NeuroScopeFunctions() {}

  public static void register(SparkSession spark, Settings s) {
    spark
        .udf()
        .register(
            "ns_tensor_stats",
            functions.udaf(
                new TensorStatsAggregator(), Encoders.bean(TensorStatsAggregator.Chunk.class)));
    int history = s.integer("history.length");
    spark.udf().register("ns_plateau", new HistoryUdf(new Plateau(s), history), HistoryUdf.RESULT);
    spark
        .udf()
        .register("ns_overfitting", new HistoryUdf(new Overfitting(s), history), HistoryUdf.RESULT);
    spark
        .udf()
        .register(
            "ns_learning_progress",
            new HistoryUdf(new LearningProgress(s), history),
            HistoryUdf.RESULT);
  }
}
