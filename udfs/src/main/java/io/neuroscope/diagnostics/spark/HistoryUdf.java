package io.neuroscope.diagnostics.spark;

import io.neuroscope.diagnostics.Finding;
import io.neuroscope.diagnostics.HistoryDiagnostic;
import io.neuroscope.diagnostics.LossHistory;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.collection.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A loss-history diagnostic as a SQL function over a run's epochs up to e, in epoch order: {@code
 * ns_plateau(collect_list(struct(train_loss, val_loss[, grad_norm])) OVER (PARTITION BY run_id
 * ORDER BY epoch))}. The last element is epoch e. Returns {@code STRUCT<value DOUBLE, status
 * STRING>}.
 */
public final class HistoryUdf implements UDF1<Seq<Row>, Row> {
  public static final StructType RESULT =
      new StructType()
          .add("value", DataTypes.DoubleType, false)
          .add("status", DataTypes.StringType, false);

  private final HistoryDiagnostic diagnostic;
  private final int historyLength;

  public HistoryUdf(HistoryDiagnostic diagnostic, int historyLength) {
    this.diagnostic = diagnostic;
    this.historyLength = historyLength;
  }

  @Override
  public Row call(Seq<Row> epochs) {
    if (epochs == null || epochs.isEmpty()) return null;
    List<Row> rows = CollectionConverters.asJava(epochs);
    int n = rows.size();
    double[] train = new double[n];
    Double[] val = new Double[n];
    Double[] grad = new Double[n];
    for (int i = 0; i < n; i++) {
      Row r = rows.get(i);
      train[i] = r.isNullAt(0) ? Double.NaN : ((Number) r.get(0)).doubleValue();
      val[i] = r.size() > 1 && !r.isNullAt(1) ? ((Number) r.get(1)).doubleValue() : null;
      grad[i] = r.size() > 2 && !r.isNullAt(2) ? ((Number) r.get(2)).doubleValue() : null;
    }
    List<LossHistory> histories = LossHistory.ofRun(train, val, grad, historyLength);
    Finding f = diagnostic.evaluate(histories.get(n - 1));
    return RowFactory.create(f.value(), f.status().name());
  }
}
