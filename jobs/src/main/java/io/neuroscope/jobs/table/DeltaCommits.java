package io.neuroscope.jobs.table;

import io.delta.exceptions.DeltaConcurrentModificationException;
import io.neuroscope.jobs.error.NeuroScopeErrors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delta commits are optimistic: a write whose commit finds that another writer committed a
 * conflicting change since it read the table fails with a {@link
 * DeltaConcurrentModificationException} (ConcurrentAppendException, ProtocolChangedException, ...)
 * and commits nothing. {@link #retry} runs such a write again, from the start, so that it reads the
 * table as the other writer left it. Only idempotent writes may be retried this way (our keyed
 * upserts are).
 */
public final class DeltaCommits {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaCommits.class);

  /** Attempts in all, the first included. */
  public static final int ATTEMPTS = 5;

  private DeltaCommits() {}

  public static <T> T retry(String what, Supplier<T> write) {
    return retry(what, ATTEMPTS, write);
  }

  /** {@link #retry(String, Supplier)} for a write that returns nothing. */
  public static void retry(String what, Runnable write) {
    retry(
        what,
        ATTEMPTS,
        () -> {
          write.run();
          return null;
        });
  }

  /**
   * Replaces the Delta table at {@code path} (created if missing) with {@code rows} in one file,
   * schema included: for small tables read whole. Safe to repeat, so a commit conflict with a
   * concurrent run is retried.
   */
  public static void replace(Dataset<Row> rows, String path) {
    retry(
        "write " + path,
        () -> {
          rows.coalesce(1)
              .write()
              .format("delta")
              .mode("overwrite")
              .option("overwriteSchema", "true")
              .save(path);
        });
  }

  /**
   * Runs {@code write}; when it fails on a Delta commit conflict, runs it again after a short
   * random pause, up to {@code attempts} times in all. Other failures are thrown at once.
   *
   * @throws io.neuroscope.jobs.error.JobFailedException when the last attempt conflicted too,
   *     naming {@code what}
   */
  public static <T> T retry(String what, int attempts, Supplier<T> write) {
    for (int attempt = 1; ; attempt++) {
      try {
        return write.get();
      } catch (
          Exception
              e) { // Exception, not RuntimeException: Scala code may throw checked ones undeclared
        DeltaConcurrentModificationException conflict = conflict(e);
        if (conflict == null) throw e;
        if (attempt >= attempts) {
          throw NeuroScopeErrors.commitConflicts(
              what, attempts, NeuroScopeErrors.firstLine(conflict), e);
        }
        long pause = 100L * attempt + ThreadLocalRandom.current().nextLong(400);
        LOG.warn(
            "{}: a concurrent writer committed first ({}: {}); attempt {} of {} in {} ms",
            what,
            conflict.getClass().getSimpleName(),
            NeuroScopeErrors.firstLine(conflict),
            attempt + 1,
            attempts,
            pause);
        try {
          Thread.sleep(pause);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** The Delta commit conflict in {@code e}'s causes, or null. */
  public static DeltaConcurrentModificationException conflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DeltaConcurrentModificationException c) return c;
    }
    return null;
  }
}
