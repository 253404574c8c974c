package io.neuroscope.jobs;

import io.neuroscope.diagnostics.LayerInfo;
import io.neuroscope.diagnostics.Settings;
import io.neuroscope.diagnostics.TensorKind;
import io.neuroscope.diagnostics.TensorProbe;
import java.util.HashMap;
import java.util.Iterator;
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
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * The one pass over the tensors' values. Each row's array is copied once out of Spark's columnar
 * batch into a primitive array (no object per element) and folded into its tensor's
 * {@link TensorPartial}; the partials of a tensor's chunks then merge by key.
 *
 * <p>It reads {@code InternalRow}s from the physical plan rather than {@code Row}s: the public
 * {@code Row} path boxes every element, which measured 2–10× slower on this stack.
 */
final class TensorPass {
  private static final String[] COLUMNS = {"run_id", "epoch", "layer", "kind", "chunk", "rows", "cols", "values"};

  private TensorPass() {}

  static JavaPairRDD<TensorKey, TensorPartial> run(Dataset<Row> tensors, boolean doubleValues,
      Broadcast<Map<String, SortedMap<Integer, LayerInfo>>> layers, Broadcast<Set<TensorKey>> rejected,
      Settings settings, LongAccumulator valuesRead, int partitions) {
    Dataset<Row> selected = tensors.select(COLUMNS[0], java.util.Arrays.copyOfRange(COLUMNS, 1, COLUMNS.length));
    org.apache.spark.rdd.RDD<InternalRow> rows =
        ((org.apache.spark.sql.classic.Dataset<Row>) selected).queryExecution().toRdd();
    return rows.toJavaRDD().mapPartitionsToPair(it -> {
      Map<TensorKey, TensorPartial> local = new HashMap<>();
      while (it.hasNext()) {
        InternalRow r = it.next();
        if (r.isNullAt(0) || r.isNullAt(1) || r.isNullAt(2) || r.isNullAt(3) || r.isNullAt(4) || r.isNullAt(5)
            || r.isNullAt(6)) {
          continue; // set aside by Validation
        }
        TensorKey key = new TensorKey(r.getUTF8String(0).toString(), r.getInt(1), r.getInt(2), r.getUTF8String(3).toString());
        Optional<TensorKind> kind = TensorKind.fromColumnValue(key.kind());
        if (kind.isEmpty() || rejected.value().contains(key)) continue; // set aside by Validation
        SortedMap<Integer, LayerInfo> runLayers = layers.value().get(key.runId());
        boolean hidden = key.layer() < runLayers.lastKey();
        TensorPartial partial = local.computeIfAbsent(key,
            k -> new TensorPartial(TensorProbe.of(kind.get(), runLayers.get(k.layer()), hidden, settings)));
        int chunkRows = r.getInt(5), cols = r.getInt(6);
        long length = -1;
        if (!r.isNullAt(7)) {
          ArrayData values = r.getArray(7);
          length = values.numElements();
          valuesRead.add(length);
          if (partial.stats != null && length == (long) chunkRows * cols) {
            if (doubleValues) partial.stats.add(values.toDoubleArray(), chunkRows, cols);
            else partial.stats.add(values.toFloatArray(), chunkRows, cols);
          }
        }
        partial.chunks.add(new TensorPartial.Chunk(r.getInt(4), chunkRows, cols, length));
      }
      Iterator<Map.Entry<TensorKey, TensorPartial>> entries = local.entrySet().iterator();
      return new Iterator<Tuple2<TensorKey, TensorPartial>>() {
        @Override
        public boolean hasNext() {
          return entries.hasNext();
        }

        @Override
        public Tuple2<TensorKey, TensorPartial> next() {
          Map.Entry<TensorKey, TensorPartial> e = entries.next();
          return new Tuple2<>(e.getKey(), e.getValue());
        }
      };
    }).reduceByKey(TensorPartial::merge, partitions);
  }
}
