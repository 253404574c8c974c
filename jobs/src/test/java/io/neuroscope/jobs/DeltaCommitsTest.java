package io.neuroscope.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.exceptions.ConcurrentAppendException;
import io.delta.tables.DeltaTable;
import io.neuroscope.jobs.error.JobFailedException;
import io.neuroscope.jobs.table.DeltaCommits;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.DeltaOperations;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.AddFile;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Retrying Delta writes on commit conflicts, with real conflicts: a transaction reads the whole
 * table, another writer merges rows in and commits, and the first transaction's commit is then
 * refused by Delta.
 */
class DeltaCommitsTest {

  private static final AtomicInteger OTHER_WRITES = new AtomicInteger();

  /**
   * Reads the whole table in a transaction and removes one of its files; meanwhile another writer
   * MERGEs 2 new rows in and commits. Delta then refuses the first commit
   * (ConcurrentAppendException): what it read is no longer the table. (A blind append would not
   * conflict under WriteSerializable.)
   */
  private static long conflictingCommit(SparkSession spark, String path) {
    OptimisticTransaction txn = DeltaLog.forTable(spark, path).startTransaction();
    AddFile file = txn.filterFiles().head();
    long from = 100 + 10L * OTHER_WRITES.incrementAndGet();
    DeltaTable.forPath(spark, path)
        .as("t")
        .merge(spark.range(from, from + 2).toDF().as("s"), "t.id = s.id")
        .whenNotMatched()
        .insertAll()
        .execute();
    return txn.commit(actions(file.remove()), DeltaOperations.ManualUpdate$.MODULE$);
  }

  private static scala.collection.immutable.Seq<Action> actions(Action... actions) {
    return CollectionConverters.asScala(List.of(actions)).toList();
  }

  @Test
  void aConflictingCommitIsRunAgainAndThenCommits() {
    SparkSession spark = SparkTest.spark();
    String path = SparkTest.tempDir("commits").resolve("t").toString();
    spark.range(3).write().format("delta").save(path); // version 0
    List<Class<?>> failures = new ArrayList<>();
    AtomicInteger attempts = new AtomicInteger();

    long version =
        DeltaCommits.retry(
            "test write",
            3,
            () -> {
              if (attempts.incrementAndGet() == 1) {
                try {
                  return conflictingCommit(
                      spark, path); // the MERGE is version 1; this commit conflicts
                } catch (RuntimeException e) {
                  failures.add(e.getClass());
                  throw e;
                }
              }
              return DeltaLog.forTable(spark, path)
                  .startTransaction()
                  .commit(actions(), DeltaOperations.ManualUpdate$.MODULE$);
            });

    assertEquals(2, attempts.get());
    assertEquals(List.of(ConcurrentAppendException.class), failures);
    assertEquals(2, version, "the retried commit follows the concurrent MERGE");
    assertEquals(
        5,
        spark.read().format("delta").load(path).count(),
        "3 rows, then the 2 merged in; no file removed");
    assertEquals(
        2L, (long) DeltaTable.forPath(spark, path).history(1).first().<Long>getAs("version"));
  }

  @Test
  void givesUpAfterTheLastAttemptWithAMessageNamingTheWrite() {
    SparkSession spark = SparkTest.spark();
    String path = SparkTest.tempDir("commits").resolve("t").toString();
    spark.range(3).write().format("delta").save(path);
    AtomicInteger attempts = new AtomicInteger();

    JobFailedException e =
        assertThrows(
            JobFailedException.class,
            () ->
                DeltaCommits.retry(
                    "upsert into " + path,
                    2,
                    () -> {
                      attempts.incrementAndGet();
                      return conflictingCommit(spark, path);
                    }));

    assertEquals(2, attempts.get());
    assertTrue(
        e.getMessage()
            .startsWith(
                "upsert into "
                    + path
                    + ": another writer committed to the table during each of 2 attempts"),
        e.getMessage());
    assertInstanceOf(ConcurrentAppendException.class, e.getCause());
    assertEquals(
        3 + 2 * 2,
        spark.read().format("delta").load(path).count(),
        "only the other writer's rows were added");
  }

  @Test
  void otherFailuresAreNotRetried() {
    AtomicInteger attempts = new AtomicInteger();
    IllegalArgumentException failure = new IllegalArgumentException("not a conflict");
    IllegalArgumentException thrown =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                DeltaCommits.retry(
                    "w",
                    5,
                    () -> {
                      attempts.incrementAndGet();
                      throw failure;
                    }));
    assertSame(failure, thrown);
    assertEquals(1, attempts.get());
  }

  @Test
  void findsAConflictAmongTheCauses() {
    SparkSession spark = SparkTest.spark();
    String path = SparkTest.tempDir("commits").resolve("t").toString();
    spark.range(3).write().format("delta").save(path);
    RuntimeException conflict =
        assertThrows(RuntimeException.class, () -> conflictingCommit(spark, path));
    assertSame(conflict, DeltaCommits.conflict(new RuntimeException("wrapped", conflict)));
    assertEquals(
        null,
        DeltaCommits.conflict(new RuntimeException("no conflict", new IllegalStateException())));
  }
}
