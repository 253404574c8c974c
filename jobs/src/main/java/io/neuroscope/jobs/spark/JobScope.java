package io.neuroscope.jobs.spark;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * What a job changes in a shared, long-lived SparkSession, undone in {@link #close()} whether it
 * succeeded or failed: the job group and description it sets (the caller's come back), the SQL
 * confs it sets (their earlier values come back, or they are unset), and the datasets and RDDs it
 * persisted (unpersisted). Scopes nest: a nightly's scope holds its stages'.
 */
public final class JobScope implements AutoCloseable {
  private static final String GROUP = "spark.jobGroup.id";
  private static final String GROUP_DESCRIPTION = "spark.job.description";
  private static final String INTERRUPT = "spark.job.interruptOnCancel";

  private final SparkSession spark;
  private final Map<String, String> callerProperties = new LinkedHashMap<>();
  private final Map<String, String> callerConfs = new LinkedHashMap<>();
  private final Deque<Runnable> unpersist = new ArrayDeque<>();

  private JobScope(SparkSession spark) {
    this.spark = spark;
  }

  /** Sets the job group (shown in the Spark UI, cancellable as a whole) until {@link #close()}. */
  public static JobScope open(SparkSession spark, String group, String description) {
    JobScope scope = new JobScope(spark);
    SparkContext sc = spark.sparkContext();
    for (String p : new String[] {GROUP, GROUP_DESCRIPTION, INTERRUPT})
      scope.callerProperties.put(p, sc.getLocalProperty(p));
    sc.setJobGroup(group, description, false);
    return scope;
  }

  public SparkSession spark() {
    return spark;
  }

  /** The description of the Spark jobs that follow (the current step). */
  public void step(String description) {
    spark.sparkContext().setJobDescription(description);
  }

  /** Sets a SQL conf until {@link #close()}. */
  public void conf(String key, String value) {
    if (!callerConfs.containsKey(key))
      callerConfs.put(key, spark.conf().getOption(key).getOrElse(() -> null));
    spark.conf().set(key, value);
  }

  /** Gives a conf set by {@link #conf} its caller's value back now, before the scope closes. */
  public void restore(String key) {
    if (!callerConfs.containsKey(key)) return;
    String v = callerConfs.remove(key);
    if (v == null) spark.conf().unset(key);
    else spark.conf().set(key, v);
  }

  /** Persists {@code d} (memory and disk) until {@link #close()}. */
  public <T> Dataset<T> persist(Dataset<T> d) {
    Dataset<T> cached = d.persist(StorageLevel.MEMORY_AND_DISK());
    unpersist.push(() -> cached.unpersist());
    return cached;
  }

  public <K, V> JavaPairRDD<K, V> persist(JavaPairRDD<K, V> rdd) {
    JavaPairRDD<K, V> cached = rdd.persist(StorageLevel.MEMORY_AND_DISK());
    unpersist.push(() -> cached.unpersist());
    return cached;
  }

  /** Runs {@code release} in {@link #close()}, before the persisted datasets are unpersisted. */
  public void onClose(Runnable release) {
    unpersist.push(release);
  }

  /** Unpersists what was persisted, restores the confs and the caller's job group. */
  @Override
  public void close() {
    RuntimeException failed = null;
    while (!unpersist.isEmpty()) {
      try {
        unpersist.pop().run();
      } catch (RuntimeException e) { // a stopped context: the rest must still be restored
        if (failed == null) failed = e;
        else failed.addSuppressed(e);
      }
    }
    callerConfs.forEach(
        (k, v) -> {
          if (v == null) spark.conf().unset(k);
          else spark.conf().set(k, v);
        });
    SparkContext sc = spark.sparkContext();
    callerProperties.forEach(sc::setLocalProperty);
    if (failed != null) throw failed;
  }
}
