package io.neuroscope.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuroscope.jobs.spark.JobScope;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;

/** What a job sets in the shared session comes back as it was, on success and on failure. */
class JobScopeTest {
  private static final String BATCH = "spark.sql.parquet.columnarReaderBatchSize";
  private static final String UNSET = "spark.sql.neuroscope.test.unset";

  @Test
  void aFailedJobLeavesTheSessionAsItFoundIt() {
    SparkSession spark = SparkTest.spark();
    spark.sparkContext().setJobGroup("caller", "the caller's group", false);
    String batchBefore = spark.conf().get(BATCH);
    Dataset<Row>[] cached = new Dataset[1];
    RuntimeException failure =
        assertThrows(
            RuntimeException.class,
            () -> {
              try (JobScope job = JobScope.open(spark, "neuroscope-test", "a job that fails")) {
                assertEquals(
                    "neuroscope-test", spark.sparkContext().getLocalProperty("spark.jobGroup.id"));
                job.conf(BATCH, "7");
                job.conf(UNSET, "x");
                assertEquals("7", spark.conf().get(BATCH));
                cached[0] = job.persist(spark.range(10).toDF());
                cached[0].count();
                assertTrue(cached[0].storageLevel().useMemory(), "persisted inside the scope");
                throw new IllegalStateException("boom");
              }
            });
    assertEquals("boom", failure.getMessage());
    assertEquals(batchBefore, spark.conf().get(BATCH), "the conf is restored");
    assertFalse(
        spark.conf().getOption(UNSET).isDefined(), "a conf that was not set is unset again");
    assertEquals(StorageLevel.NONE(), cached[0].storageLevel(), "the dataset is unpersisted");
    assertEquals(
        "caller",
        spark.sparkContext().getLocalProperty("spark.jobGroup.id"),
        "the caller's group is back");
    spark.sparkContext().clearJobGroup();
    assertNull(spark.sparkContext().getLocalProperty("spark.jobGroup.id"));
  }

  @Test
  void scopesNest() {
    SparkSession spark = SparkTest.spark();
    try (JobScope outer = JobScope.open(spark, "outer", "outer")) {
      try (JobScope inner = JobScope.open(spark, "inner", "inner")) {
        assertEquals("inner", spark.sparkContext().getLocalProperty("spark.jobGroup.id"));
      }
      assertEquals("outer", spark.sparkContext().getLocalProperty("spark.jobGroup.id"));
    }
    assertNull(spark.sparkContext().getLocalProperty("spark.jobGroup.id"));
  }
}
