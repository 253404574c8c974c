package io.neuroscope.jobs.diagnostics;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Where the engine hands the per-epoch state a later, partial run needs: the global gradient norm
 * of every epoch of the runs it computed (plateau's method 3 reads earlier epochs' norms, whose
 * tensors a partial run does not read again). Called once, after the diagnostics are written.
 */
@FunctionalInterface
public interface EpochStateSink {
  /**
   * @param gradientNorms (run_id, epoch, gradient_norm) of every epoch of the runs in scope
   */
  void record(Dataset<Row> gradientNorms);
}
