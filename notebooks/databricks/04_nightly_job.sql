-- Databricks notebook source
-- MAGIC %md
-- MAGIC # NeuroScope: the nightly job on Databricks
-- MAGIC
-- MAGIC `nightly` runs the diagnostics over the telemetry, then the run and experiment summaries, then the
-- MAGIC hyperparameter effects, and registers the tables and the views `diagnostics_wide` and `run_health` in the database
-- MAGIC `catalog.database` (default `neuroscope`). The notebooks `01_overview`, `02_compare_runs` and `03_hyperparameters`
-- MAGIC read that database. A rerun on the same telemetry leaves the tables as they are.

-- COMMAND ----------

-- DBTITLE 1,Build and upload
-- MAGIC %md
-- MAGIC ## 1. Build the jar and put it where the cluster can read it
-- MAGIC
-- MAGIC ```bash
-- MAGIC mvn -B -DskipTests package
-- MAGIC # jobs/target/neuroscope-jobs-<version>-spark-submit.jar: our code, the diagnostics and Delta Lake.
-- MAGIC # Spark and MLlib are not in it: the cluster provides them.
-- MAGIC databricks fs cp jobs/target/neuroscope-jobs-0.1.0-SNAPSHOT-spark-submit.jar \
-- MAGIC   dbfs:/Volumes/main/neuroscope/jars/neuroscope-jobs-0.1.0-SNAPSHOT-spark-submit.jar
-- MAGIC ```
-- MAGIC
-- MAGIC A Unity Catalog volume (as above) or workspace files both work. The jar is built for Spark 4.0 and Scala 2.13:
-- MAGIC choose a Databricks Runtime based on Apache Spark 4.0 (Scala 2.13).

-- COMMAND ----------

-- DBTITLE 1,The JAR task
-- MAGIC %md
-- MAGIC ## 2. Create the job: one JAR task
-- MAGIC
-- MAGIC In **Jobs & Pipelines > Create > Job**, add a task:
-- MAGIC
-- MAGIC | field | value |
-- MAGIC |---|---|
-- MAGIC | Type | JAR |
-- MAGIC | Main class | `io.neuroscope.jobs.NeuroScope` |
-- MAGIC | Parameters | `["nightly", "--telemetry", "s3://bucket/telemetry", "--output", "s3://bucket/neuroscope"]` |
-- MAGIC | Dependent libraries | the jar from step 1 |
-- MAGIC | Compute | a job cluster on a Spark 4.0 / Scala 2.13 runtime; dedicated (single user) access mode runs JAR tasks; standard access mode needs the jar on the metastore's allowlist |
-- MAGIC
-- MAGIC * `--telemetry PATH` reads `PATH/runs`, `PATH/layers`, `PATH/epochs`, `PATH/tensors` (Delta or Parquet);
-- MAGIC   `--telemetry-db DB` reads the tables `DB.runs`, ... from the catalog instead.
-- MAGIC * `--output PATH` receives the Delta tables `diagnostics`, `quarantine`, `run_summary`, `experiment_summary`,
-- MAGIC   `hyperparameter_effects`. The job registers them as external tables at that location, so use a cloud path
-- MAGIC   covered by an external location (not a volume path) when the workspace uses Unity Catalog.
-- MAGIC * Settings: add `"--set", "key=value"` pairs to the parameters (e.g. `"--set", "catalog.database=neuroscope_prod"`),
-- MAGIC   or the cluster's Spark config `spark.neuroscope.<key> <value>`. Every key and its default is in
-- MAGIC   `conf/neuroscope.properties`.
-- MAGIC * On a contract error (a missing table or column, a wrong type) the job stops with a one-line reason
-- MAGIC   (`neuroscope: ...`) in the driver's log, and the task fails.

-- COMMAND ----------

-- DBTITLE 1,Schedule
-- MAGIC %md
-- MAGIC ## 3. Schedule it
-- MAGIC
-- MAGIC In the job's **Schedules & Triggers**: **Scheduled**, e.g. every night at 02:00 (Quartz cron `0 0 2 * * ?`, time zone
-- MAGIC UTC), or **File arrival** on the telemetry location. Set **Maximum concurrent runs** to 1 so that two runs never
-- MAGIC write the tables at once, and add a failure notification.
-- MAGIC
-- MAGIC The same job as a Databricks Asset Bundle (`databricks.yml`; `databricks bundle deploy`):
-- MAGIC
-- MAGIC ```yaml
-- MAGIC resources:
-- MAGIC   jobs:
-- MAGIC     neuroscope_nightly:
-- MAGIC       name: neuroscope-nightly
-- MAGIC       max_concurrent_runs: 1
-- MAGIC       schedule:
-- MAGIC         quartz_cron_expression: "0 0 2 * * ?"
-- MAGIC         timezone_id: UTC
-- MAGIC       email_notifications:
-- MAGIC         on_failure: [ml-platform@example.com]
-- MAGIC       job_clusters:
-- MAGIC         - job_cluster_key: nightly
-- MAGIC           new_cluster:
-- MAGIC             spark_version: 17.3.x-scala2.13   # a runtime on Spark 4.0
-- MAGIC             node_type_id: i3.xlarge
-- MAGIC             num_workers: 2
-- MAGIC             data_security_mode: SINGLE_USER
-- MAGIC             spark_conf:
-- MAGIC               spark.executor.extraJavaOptions: -XX:+UseParallelGC
-- MAGIC       tasks:
-- MAGIC         - task_key: nightly
-- MAGIC           job_cluster_key: nightly
-- MAGIC           spark_jar_task:
-- MAGIC             main_class_name: io.neuroscope.jobs.NeuroScope
-- MAGIC             parameters: [nightly, --telemetry, s3://bucket/telemetry, --output, s3://bucket/neuroscope]
-- MAGIC           libraries:
-- MAGIC             - jar: /Volumes/main/neuroscope/jars/neuroscope-jobs-0.1.0-SNAPSHOT-spark-submit.jar
-- MAGIC ```

-- COMMAND ----------

-- DBTITLE 1,After a run
-- MAGIC %md
-- MAGIC ## 4. After a run
-- MAGIC
-- MAGIC The queries below read the database the job registered (**database**). The HTML report with pictures is
-- MAGIC `bin/neuroscope report --output PATH --html FILE`, run wherever the output folder is readable.

-- COMMAND ----------

-- DBTITLE 1,Widgets
CREATE WIDGET TEXT database DEFAULT 'neuroscope';

-- COMMAND ----------

-- DBTITLE 1,The output tables
-- Chart: table
SELECT 'diagnostics' AS output_table, count(*) AS table_rows, count(DISTINCT run_id) AS runs
FROM IDENTIFIER(:database || '.diagnostics')
UNION ALL
SELECT 'run_summary', count(*), count(DISTINCT run_id) FROM IDENTIFIER(:database || '.run_summary')
UNION ALL
SELECT 'experiment_summary', count(*), CAST(NULL AS BIGINT) FROM IDENTIFIER(:database || '.experiment_summary')
UNION ALL
SELECT 'hyperparameter_effects', count(*), CAST(NULL AS BIGINT) FROM IDENTIFIER(:database || '.hyperparameter_effects')

-- COMMAND ----------

-- DBTITLE 1,Runs per experiment and their newest epoch
-- Chart: table
SELECT s.experiment, count(*) AS runs, max(s.last_epoch) AS newest_epoch,
       count_if(s.health = 'CRITICAL') AS critical_runs
FROM IDENTIFIER(:database || '.run_summary') s
GROUP BY s.experiment
ORDER BY s.experiment
