-- Databricks notebook source
-- MAGIC %md
-- MAGIC # NeuroScope: the archive at a glance
-- MAGIC
-- MAGIC How healthy are the runs of the archive, and what is wrong with the sick ones? This notebook reads the tables the
-- MAGIC nightly job (`bin/neuroscope nightly`, see `04_nightly_job`) registers in a database: `findings`, `run_summary`,
-- MAGIC `run_health` and `experiment_summary`.
-- MAGIC
-- MAGIC * **database**: the database of those tables (the job's `catalog.database` setting, `neuroscope` by default).
-- MAGIC * **experiment**: one experiment, or empty for all of them.
-- MAGIC
-- MAGIC A run's status on a diagnostic is its worst over its epochs, in the order UNKNOWN < HEALTHY < WARNING < CRITICAL;
-- MAGIC its **health** is the worst over the ten diagnostics. Rows set aside as bad input are in the `quarantine` table of the
-- MAGIC same database (it exists once a row has been set aside).
-- MAGIC
-- MAGIC The notebook opens with the **verdicts**. A run's verdict is the worst severity of its findings (HEALTHY: none,
-- MAGIC WARNING, CRITICAL): the problems it had, from the `findings` table the summaries write, each in words, each a
-- MAGIC **cause** or a **symptom** that a cause explains. The first two queries need that table and the `verdict` of
-- MAGIC `run_summary`: on a database the nightly job registered before findings existed they fail (table or column not
-- MAGIC found); run `bin/neuroscope nightly` (or `summaries`) again. The queries after them do not need it.

-- COMMAND ----------

-- DBTITLE 1,Widgets
CREATE WIDGET TEXT database DEFAULT 'neuroscope';
CREATE WIDGET TEXT experiment DEFAULT '';

-- COMMAND ----------

-- DBTITLE 1,Verdicts: how many runs are sick
-- Chart: bar. X = verdict; Y = runs (run_ids: the first 20 by name)
WITH p AS (SELECT :experiment AS experiment)
SELECT s.verdict,
       count(*) AS runs,
       round(count(*) / sum(count(*)) OVER (), 3) AS share,
       count(DISTINCT s.experiment) AS experiments,
       slice(array_sort(collect_list(s.run_id)), 1, 20) AS run_ids
FROM IDENTIFIER(:database || '.run_summary') s CROSS JOIN p
WHERE p.experiment = '' OR s.experiment = p.experiment
GROUP BY s.verdict
ORDER BY CASE s.verdict WHEN 'CRITICAL' THEN 3 WHEN 'WARNING' THEN 2 WHEN 'HEALTHY' THEN 1 ELSE 0 END DESC

-- COMMAND ----------

-- DBTITLE 1,The sick runs and their findings
-- Chart: table (CRITICAL first; each cause in words, the symptoms with the cause that explains each)
WITH p AS (SELECT :experiment AS experiment),
per_run AS (
  -- per run: its causes in words, earliest first; its symptoms, each with the cause that explains it
  SELECT f.run_id,
         min(f.onset_epoch) AS since_epoch,
         count_if(f.severity = 'CRITICAL') AS critical_findings,
         transform(array_sort(collect_list(CASE WHEN f.role = 'cause' THEN struct(f.onset_epoch, f.problem, f.severity, f.summary) END)),
                   x -> concat(x.severity, ': ', x.summary)) AS causes,
         transform(array_sort(collect_list(CASE WHEN f.role = 'symptom' THEN struct(f.explained_by, f.onset_epoch, f.problem) END)),
                   x -> concat(x.problem, ' from epoch ', CAST(x.onset_epoch AS STRING), ' (of cause ', coalesce(x.explained_by, '?'), ')')) AS symptoms
  FROM IDENTIFIER(:database || '.findings') f
  GROUP BY f.run_id)
SELECT s.run_id, s.experiment, s.verdict, r.since_epoch, r.causes, r.symptoms, s.epochs, s.final_val_loss
FROM IDENTIFIER(:database || '.run_summary') s CROSS JOIN p
JOIN per_run r ON r.run_id = s.run_id
WHERE s.verdict IN ('CRITICAL', 'WARNING') AND (p.experiment = '' OR s.experiment = p.experiment)
ORDER BY CASE s.verdict WHEN 'CRITICAL' THEN 3 WHEN 'WARNING' THEN 2 WHEN 'HEALTHY' THEN 1 ELSE 0 END DESC, r.critical_findings DESC, r.since_epoch, s.run_id
LIMIT 50

-- COMMAND ----------

-- DBTITLE 1,Runs per experiment, by health
-- Chart: stacked bar. X = experiment; Y = critical_runs, warning_runs, healthy_runs, unknown_runs (stacked)
WITH p AS (SELECT :experiment AS experiment)
SELECT s.experiment,
       count(*) AS runs,
       count_if(s.health = 'CRITICAL') AS critical_runs,
       count_if(s.health = 'WARNING') AS warning_runs,
       count_if(s.health = 'HEALTHY') AS healthy_runs,
       count_if(s.health = 'UNKNOWN') AS unknown_runs,
       sum(s.epochs) AS epochs,
       percentile(s.final_val_loss, 0.5) AS median_final_val_loss
FROM IDENTIFIER(:database || '.run_summary') s CROSS JOIN p
WHERE p.experiment = '' OR s.experiment = p.experiment
GROUP BY s.experiment
ORDER BY critical_runs DESC, s.experiment

-- COMMAND ----------

-- DBTITLE 1,Runs by worst status, per diagnostic
-- Chart: stacked bar. X = diagnostic; Y = runs; group by worst_status
WITH p AS (SELECT :experiment AS experiment)
SELECT h.diagnostic, h.worst_status, count(*) AS runs
FROM IDENTIFIER(:database || '.run_health') h CROSS JOIN p
WHERE p.experiment = '' OR h.experiment = p.experiment
GROUP BY h.diagnostic, h.worst_status
ORDER BY array_position(array('dead_neurons', 'vanishing_gradients', 'exploding_gradients', 'activation_saturation', 'gradient_snr', 'weight_update_ratio', 'plateau', 'overfitting', 'weight_health', 'learning_progress'), h.diagnostic), CASE h.worst_status WHEN 'CRITICAL' THEN 3 WHEN 'WARNING' THEN 2 WHEN 'HEALTHY' THEN 1 ELSE 0 END DESC

-- COMMAND ----------

-- DBTITLE 1,The sickest runs
-- Chart: table (sickest first)
WITH p AS (SELECT :experiment AS experiment),
critical AS (
  -- each CRITICAL diagnostic of a run with the epoch it first got there, earliest first
  SELECT h.run_id,
         concat_ws(', ', transform(sort_array(collect_list(struct(h.first_critical, h.diagnostic))),
                                   x -> concat(x.diagnostic, ' from ', CAST(x.first_critical AS STRING)))) AS critical_since
  FROM IDENTIFIER(:database || '.run_health') h
  WHERE h.worst_status = 'CRITICAL'
  GROUP BY h.run_id)
SELECT s.run_id, s.experiment, s.health,
       size(s.critical_diagnostics) AS critical, size(s.warning_diagnostics) AS warning,
       c.critical_since, s.warning_diagnostics,
       least(s.dead_neurons_first_critical, s.vanishing_gradients_first_critical, s.exploding_gradients_first_critical, s.activation_saturation_first_critical, s.gradient_snr_first_critical, s.weight_update_ratio_first_critical, s.plateau_first_critical, s.overfitting_first_critical, s.weight_health_first_critical, s.learning_progress_first_critical) AS first_critical_epoch,
       s.epochs, s.final_train_loss, s.final_val_loss, s.best_val_loss, s.best_val_epoch
FROM IDENTIFIER(:database || '.run_summary') s CROSS JOIN p
LEFT JOIN critical c ON c.run_id = s.run_id
WHERE p.experiment = '' OR s.experiment = p.experiment
ORDER BY CASE s.health WHEN 'CRITICAL' THEN 3 WHEN 'WARNING' THEN 2 WHEN 'HEALTHY' THEN 1 ELSE 0 END DESC, critical DESC, warning DESC, first_critical_epoch, s.run_id
LIMIT 25

-- COMMAND ----------

-- DBTITLE 1,When do runs turn sick?
-- Chart: bar. X = diagnostic; Y = critical_runs, warning_runs
WITH p AS (SELECT :experiment AS experiment)
SELECT h.diagnostic,
       count_if(h.worst_status = 'CRITICAL') AS critical_runs,
       count_if(h.worst_status = 'WARNING') AS warning_runs,
       count(*) AS runs,
       min(h.first_warning) AS earliest_warning,
       percentile(h.first_warning, 0.5) AS median_first_warning,
       min(h.first_critical) AS earliest_critical,
       percentile(h.first_critical, 0.5) AS median_first_critical
FROM IDENTIFIER(:database || '.run_health') h CROSS JOIN p
WHERE p.experiment = '' OR h.experiment = p.experiment
GROUP BY h.diagnostic
ORDER BY array_position(array('dead_neurons', 'vanishing_gradients', 'exploding_gradients', 'activation_saturation', 'gradient_snr', 'weight_update_ratio', 'plateau', 'overfitting', 'weight_health', 'learning_progress'), h.diagnostic)

-- COMMAND ----------

-- DBTITLE 1,Experiments compared: share of runs at CRITICAL
-- Chart: heatmap. X = diagnostic; Y = experiment; color = critical_share
WITH p AS (SELECT :experiment AS experiment)
SELECT e.experiment, e.diagnostic, e.runs,
       e.critical_share, e.warning_share, e.healthy_share, e.unknown_share,
       e.final_p25, e.final_median, e.final_p75
FROM IDENTIFIER(:database || '.experiment_summary') e CROSS JOIN p
WHERE e.config IS NULL AND (p.experiment = '' OR e.experiment = p.experiment)
ORDER BY e.experiment, array_position(array('dead_neurons', 'vanishing_gradients', 'exploding_gradients', 'activation_saturation', 'gradient_snr', 'weight_update_ratio', 'plateau', 'overfitting', 'weight_health', 'learning_progress'), e.diagnostic)

-- COMMAND ----------

-- DBTITLE 1,Repeated configurations (runs that differ only by seed)
-- Chart: table (final_std: the spread between seeds; null below 2 runs)
WITH p AS (SELECT :experiment AS experiment)
SELECT e.experiment, e.config, e.diagnostic, e.runs, e.critical_share,
       e.final_mean, e.final_std, e.final_median
FROM IDENTIFIER(:database || '.experiment_summary') e CROSS JOIN p
WHERE e.config IS NOT NULL AND (p.experiment = '' OR e.experiment = p.experiment)
ORDER BY e.runs DESC, e.critical_share DESC, e.experiment, e.config, array_position(array('dead_neurons', 'vanishing_gradients', 'exploding_gradients', 'activation_saturation', 'gradient_snr', 'weight_update_ratio', 'plateau', 'overfitting', 'weight_health', 'learning_progress'), e.diagnostic)
LIMIT 100
