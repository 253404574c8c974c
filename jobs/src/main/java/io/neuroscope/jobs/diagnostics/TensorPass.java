package io.neuroscope.jobs.diagnostics;

import io.neuroscope.diagnostics.LayerInfo;
import io.neuroscope.diagnostics.Settings;
import io.neuroscope.diagnostics.TensorKind;
import io.neuroscope.diagnostics.TensorProbe;
import io.neuroscope.jobs.telemetry.TensorKey;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.execution.ColumnarToRowExec;
import org.apache.spark.sql.execution.InputAdapter;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * The one pass over the tensors' values. Each row's array is copied once out of Spark's columnar
 * batch into a primitive array (no object per element) and folded into its tensor's {@link
 * TensorPartial}; the partials of a tensor's chunks then merge by key.
 *
 * <p>Where the physical plan is a plain columnar scan, it reads the scan's {@code ColumnarBatch}es
 * directly; otherwise the {@code InternalRow}s of the plan. Both skip the public {@code Row}, which
 * boxes every element (measured 2–10× slower on this stack); the columnar path also skips the copy
 * of each array into an {@code UnsafeRow}.
 */
public final class TensorPass {
  private static final List<String> COLUMNS =
      List.of("run_id", "epoch", "layer", "kind", "chunk", "rows", "cols", "values");

  private TensorPass() {}

  public static JavaPairRDD<TensorKey, TensorPartial> run(
      Dataset<Row> tensors,
      boolean doubleValues,
      Broadcast<Map<String, SortedMap<Integer, LayerInfo>>> layers,
      Broadcast<Set<TensorKey>> rejected,
      Settings settings,
      LongAccumulator valuesRead,
      int partitions) {
    Dataset<Row> selected =
        tensors.select(COLUMNS.get(0), COLUMNS.subList(1, COLUMNS.size()).toArray(String[]::new));
    SparkPlan plan =
        ((org.apache.spark.sql.classic.Dataset<Row>) selected).queryExecution().executedPlan();
    Folder folder = new Folder(doubleValues, layers, rejected, settings, valuesRead);
    JavaPairRDD<TensorKey, TensorPartial> partials =
        columnarScan(plan)
            .map(scan -> scan.toJavaRDD().mapPartitionsToPair(folder::foldBatches))
            .orElseGet(
                () ->
                    ((org.apache.spark.sql.classic.Dataset<Row>) selected)
                        .queryExecution()
                        .toRdd()
                        .toJavaRDD()
                        .mapPartitionsToPair(folder::foldRows));
    return partials.reduceByKey(TensorPartial::merge, partitions);
  }

  /**
   * The scan under {@code WholeStageCodegen(ColumnarToRow(scan))}, when its columns are ours in
   * order.
   */
  private static Optional<org.apache.spark.rdd.RDD<ColumnarBatch>> columnarScan(SparkPlan plan) {
    SparkPlan p = plan instanceof WholeStageCodegenExec w ? w.child() : plan;
    if (!(p instanceof ColumnarToRowExec c)) return Optional.empty();
    SparkPlan scan = c.child() instanceof InputAdapter a ? a.child() : c.child();
    List<String> names =
        scala.jdk.javaapi.CollectionConverters.asJava(scan.output()).stream()
            .map(x -> x.name())
            .toList();
    if (!scan.supportsColumnar() || !names.equals(COLUMNS)) return Optional.empty();
    return Optional.of(scan.executeColumnar());
  }

  /** Folds chunk rows into per-tensor partials, within one partition. */
  private static final class Folder implements Serializable {
    private final boolean doubleValues;
    private final Broadcast<Map<String, SortedMap<Integer, LayerInfo>>> layers;
    private final Broadcast<Set<TensorKey>> rejected;
    private final Settings settings;
    private final LongAccumulator valuesRead;

    Folder(
        boolean doubleValues,
        Broadcast<Map<String, SortedMap<Integer, LayerInfo>>> layers,
        Broadcast<Set<TensorKey>> rejected,
        Settings settings,
        LongAccumulator valuesRead) {
      this.doubleValues = doubleValues;
      this.layers = layers;
      this.rejected = rejected;
      this.settings = settings;
      this.valuesRead = valuesRead;
    }

    Iterator<Tuple2<TensorKey, TensorPartial>> foldRows(Iterator<InternalRow> rows) {
      Map<TensorKey, TensorPartial> local = new HashMap<>();
      while (rows.hasNext()) {
        InternalRow r = rows.next();
        boolean nullKey = false;
        for (int c = 0; c < 7; c++) nullKey |= r.isNullAt(c);
        if (nullKey) continue; // set aside by ValidatedTelemetry
        fold(
            local,
            r.getUTF8String(0).toString(),
            r.getInt(1),
            r.getInt(2),
            r.getUTF8String(3).toString(),
            r.getInt(4),
            r.getInt(5),
            r.getInt(6),
            r.isNullAt(7) ? null : r.getArray(7));
      }
      return entries(local);
    }

    Iterator<Tuple2<TensorKey, TensorPartial>> foldBatches(Iterator<ColumnarBatch> batches) {
      Map<TensorKey, TensorPartial> local = new HashMap<>();
      while (batches.hasNext()) {
        ColumnarBatch b = batches.next();
        ColumnVector[] v = new ColumnVector[COLUMNS.size()];
        for (int c = 0; c < v.length; c++) v[c] = b.column(c);
        for (int i = 0, n = b.numRows(); i < n; i++) {
          boolean nullKey = false;
          for (int c = 0; c < 7; c++) nullKey |= v[c].isNullAt(i);
          if (nullKey) continue; // set aside by ValidatedTelemetry
          fold(
              local,
              v[0].getUTF8String(i).toString(),
              v[1].getInt(i),
              v[2].getInt(i),
              v[3].getUTF8String(i).toString(),
              v[4].getInt(i),
              v[5].getInt(i),
              v[6].getInt(i),
              v[7].isNullAt(i) ? null : v[7].getArray(i));
        }
      }
      return entries(local);
    }

    private void fold(
        Map<TensorKey, TensorPartial> local,
        String run,
        int epoch,
        int layer,
        String kind,
        int chunk,
        int rows,
        int cols,
        ArrayData values) {
      TensorKey key = new TensorKey(run, epoch, layer, kind);
      Optional<TensorKind> k = TensorKind.fromColumnValue(kind);
      if (k.isEmpty() || rejected.value().contains(key)) return; // set aside by ValidatedTelemetry
      SortedMap<Integer, LayerInfo> runLayers = layers.value().get(run);
      TensorPartial partial =
          local.computeIfAbsent(
              key,
              x ->
                  new TensorPartial(
                      TensorProbe.of(
                          k.get(), runLayers.get(layer), layer < runLayers.lastKey(), settings)));
      long length = -1;
      if (values != null) {
        length = values.numElements();
        valuesRead.add(length);
        if (partial.stats != null && length == (long) rows * cols) {
          if (doubleValues) partial.stats.add(values.toDoubleArray(), rows, cols);
          else partial.stats.add(values.toFloatArray(), rows, cols);
        }
      }
      partial.chunks.add(new TensorPartial.Chunk(chunk, rows, cols, length));
    }

    private static Iterator<Tuple2<TensorKey, TensorPartial>> entries(
        Map<TensorKey, TensorPartial> local) {
      return local.entrySet().stream().map(e -> new Tuple2<>(e.getKey(), e.getValue())).iterator();
    }
  }
}
