package io.neuroscope.jobs.spark;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;

/**
 * Logs the progress of a long Spark stage (tasks done, values read) at most every few seconds, so
 * that a run over a large archive says how far it is. Attach around the work, then {@link #close}.
 */
public final class ProgressLog extends SparkListener implements AutoCloseable {
  private static final long INTERVAL_NANOS = 10_000_000_000L;
  private final SparkSession spark;
  private final Logger log;
  private final String what;
  private final LongAccumulator values;
  private final AtomicInteger tasks = new AtomicInteger();
  private final AtomicInteger done = new AtomicInteger();
  private final AtomicLong lastLog = new AtomicLong(System.nanoTime());

  public ProgressLog(SparkSession spark, Logger log, String what, LongAccumulator values) {
    this.spark = spark;
    this.log = log;
    this.what = what;
    this.values = values;
    spark.sparkContext().addSparkListener(this);
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted e) {
    tasks.addAndGet(e.stageInfo().numTasks());
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd e) {
    int d = done.incrementAndGet();
    long now = System.nanoTime(), last = lastLog.get();
    if (now - last >= INTERVAL_NANOS && lastLog.compareAndSet(last, now)) {
      log.info("{}: {} of {} tasks done, {} values read", what, d, tasks.get(), values.value());
    }
  }

  @Override
  public void close() {
    spark.sparkContext().removeSparkListener(this);
  }
}
