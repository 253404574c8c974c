-- Databricks notebook source
-- MAGIC %md
-- MAGIC # NeuroScope: compare runs
-- MAGIC
-- MAGIC Chosen runs side by side: their verdicts and findings, the hyperparameters that differ, each diagnostic per
-- MAGIC epoch, the layers of a layer-level diagnostic (a layer x epoch heatmap), and the loss curves.
-- MAGIC
-- MAGIC * **runs**: run ids, comma-separated; empty compares the three sickest runs of **experiment** (or of the archive).
-- MAGIC * **diagnostic**: the diagnostic for the per-epoch values and the layer heatmap. Plateau, overfitting and learning
-- MAGIC   progress are network-level only (they have no layer rows).
-- MAGIC * **database**: the NeuroScope tables; **telemetry**: the database that holds the telemetry tables (`runs`, `epochs`,
-- MAGIC   ...; as read by `--telemetry-db`), for the loss curves only.
-- MAGIC
-- MAGIC The first query gives the chosen runs' **verdicts** and **findings** in words (the `findings` table the summaries
-- MAGIC write: each a cause or a symptom that a cause explains, with its onset); it needs that table and the `verdict` of
-- MAGIC `run_summary`: on a database the nightly job registered before findings existed it fails (table or column not
-- MAGIC found); run `bin/neuroscope nightly` (or `summaries`) again. The queries after it do not need it.

-- COMMAND ----------

-- DBTITLE 1,Widgets
CREATE WIDGET TEXT database DEFAULT 'neuroscope';
CREATE WIDGET TEXT experiment DEFAULT '';
CREATE WIDGET TEXT runs DEFAULT '';
CREATE WIDGET DROPDOWN diagnostic DEFAULT 'dead_neurons' CHOICES SELECT * FROM (VALUES ('dead_neurons'), ('vanishing_gradients'), ('exploding_gradients'), ('activation_saturation'), ('gradient_snr'), ('weight_update_ratio'), ('plateau'), ('overfitting'), ('weight_health'), ('learning_progress'));
CREATE WIDGET TEXT telemetry DEFAULT 'telemetry';

-- COMMAND ----------

-- DBTITLE 1,The chosen runs: verdicts and findings
-- Chart: table (one row per finding, each cause followed by its symptoms; a run without findings: one row, 'no finding')
WITH p AS (SELECT :experiment AS experiment, :runs AS runs, :diagnostic AS diagnostic),
ranked AS (
  SELECT s.run_id, s.experiment, s.health, s.params, s.critical_diagnostics, s.warning_diagnostics, s.epochs,
         s.final_val_loss, s.best_val_loss,
         row_number() OVER (ORDER BY CASE s.health WHEN 'CRITICAL' THEN 3 WHEN 'WARNING' THEN 2 WHEN 'HEALTHY' THEN 1 ELSE 0 END DESC, size(s.critical_diagnostics) DESC,
                                     size(s.warning_diagnostics) DESC, s.run_id) AS pick
  FROM IDENTIFIER(:database || '.run_summary') s CROSS JOIN p
  WHERE CASE WHEN trim(p.runs) = '' THEN p.experiment = '' OR s.experiment = p.experiment
             ELSE array_contains(transform(split(p.runs, ','), r -> trim(r)), s.run_id) END),
chosen AS (SELECT r.* FROM ranked r CROSS JOIN p WHERE trim(p.runs) <> '' OR r.pick <= 3),
fs AS (
  -- each finding with the cause it belongs to (a cause its own), and that group's first epoch
  SELECT f.*, coalesce(f.explained_by, f.problem) AS cause,
         min(f.onset_epoch) OVER (PARTITION BY f.run_id, coalesce(f.explained_by, f.problem)) AS cause_onset
  FROM IDENTIFIER(:database || '.findings') f)
SELECT c.pick, c.run_id, s.verdict, f.cause, f.role, f.problem, f.severity, f.onset_epoch, f.onset_layer,
       f.last_epoch, coalesce(f.summary, 'no finding') AS summary
FROM chosen c JOIN IDENTIFIER(:database || '.run_summary') s ON s.run_id = c.run_id
LEFT JOIN fs f ON f.run_id = c.run_id
ORDER BY c.pick, f.cause_onset, f.cause, f.role = 'symptom', f.onset_epoch, f.problem

-- COMMAND ----------

-- DBTITLE 1,The chosen runs
-- Chart: table
WITH p AS (SELECT :experiment AS experiment, :runs AS runs, :diagnostic AS diagnostic),
ranked AS (
  SELECT s.run_id, s.experiment, s.health, s.params, s.critical_diagnostics, s.warning_diagnostics, s.epochs,
         s.final_val_loss, s.best_val_loss,
         row_number() OVER (ORDER BY CASE s.health WHEN 'CRITICAL' THEN 3 WHEN 'WARNING' THEN 2 WHEN 'HEALTHY' THEN 1 ELSE 0 END DESC, size(s.critical_diagnostics) DESC,
                                     size(s.warning_diagnostics) DESC, s.run_id) AS pick
  FROM IDENTIFIER(:database || '.run_summary') s CROSS JOIN p
  WHERE CASE WHEN trim(p.runs) = '' THEN p.experiment = '' OR s.experiment = p.experiment
             ELSE array_contains(transform(split(p.runs, ','), r -> trim(r)), s.run_id) END),
chosen AS (SELECT r.* FROM ranked r CROSS JOIN p WHERE trim(p.runs) <> '' OR r.pick <= 3)
SELECT c.pick, c.run_id, c.experiment, c.health, c.critical_diagnostics, c.warning_diagnostics, c.epochs,
       c.final_val_loss, c.best_val_loss
FROM chosen c
ORDER BY c.pick

-- COMMAND ----------

-- DBTITLE 1,Hyperparameters that differ
-- Chart: table (one row per hyperparameter whose value is not the same in all chosen runs)
WITH p AS (SELECT :experiment AS experiment, :runs AS runs, :diagnostic AS diagnostic),
ranked AS (
  SELECT s.run_id, s.experiment, s.health, s.params, s.critical_diagnostics, s.warning_diagnostics, s.epochs,
         s.final_val_loss, s.best_val_loss,
         row_number() OVER (ORDER BY CASE s.health WHEN 'CRITICAL' THEN 3 WHEN 'WARNING' THEN 2 WHEN 'HEALTHY' THEN 1 ELSE 0 END DESC, size(s.critical_diagnostics) DESC,
                                     size(s.warning_diagnostics) DESC, s.run_id) AS pick
  FROM IDENTIFIER(:database || '.run_summary') s CROSS JOIN p
  WHERE CASE WHEN trim(p.runs) = '' THEN p.experiment = '' OR s.experiment = p.experiment
             ELSE array_contains(transform(split(p.runs, ','), r -> trim(r)), s.run_id) END),
chosen AS (SELECT r.* FROM ranked r CROSS JOIN p WHERE trim(p.runs) <> '' OR r.pick <= 3),
keys AS (SELECT DISTINCT k AS hyperparameter FROM chosen c LATERAL VIEW explode(map_keys(c.params)) t AS k),
grid AS (
  SELECT c.pick, c.run_id, k.hyperparameter, coalesce(c.params[k.hyperparameter], '(not logged)') AS value
  FROM chosen c CROSS JOIN keys k)
SELECT g.hyperparameter,
       transform(sort_array(collect_list(struct(g.pick, g.run_id, g.value))), x -> concat(x.run_id, ' = ', x.value))
         AS value_per_run
FROM grid g
GROUP BY g.hyperparameter
HAVING count(DISTINCT g.value) > 1
ORDER BY g.hyperparameter

-- COMMAND ----------

-- DBTITLE 1,Worst status per diagnostic, side by side
-- Chart: heatmap. X = diagnostic; Y = run_id; color = status_rank (3 CRITICAL, 2 WARNING, 1 HEALTHY, 0 UNKNOWN)
WITH p AS (SELECT :experiment AS experiment, :runs AS runs, :diagnostic AS diagnostic),
ranked AS (
  SELECT s.run_id, s.experiment, s.health, s.params, s.critical_diagnostics, s.warning_diagnostics, s.epochs,
         s.final_val_loss, s.best_val_loss,
         row_number() OVER (ORDER BY CASE s.health WHEN 'CRITICAL' THEN 3 WHEN 'WARNING' THEN 2 WHEN 'HEALTHY' THEN 1 ELSE 0 END DESC, size(s.critical_diagnostics) DESC,
                                     size(s.warning_diagnostics) DESC, s.run_id) AS pick
  FROM IDENTIFIER(:database || '.run_summary') s CROSS JOIN p
  WHERE CASE WHEN trim(p.runs) = '' THEN p.experiment = '' OR s.experiment = p.experiment
             ELSE array_contains(transform(split(p.runs, ','), r -> trim(r)), s.run_id) END),
chosen AS (SELECT r.* FROM ranked r CROSS JOIN p WHERE trim(p.runs) <> '' OR r.pick <= 3)
SELECT h.run_id, h.diagnostic, h.worst_status,
       CASE h.worst_status WHEN 'CRITICAL' THEN 3 WHEN 'WARNING' THEN 2 WHEN 'HEALTHY' THEN 1 ELSE 0 END AS status_rank,
       h.first_warning, h.first_critical
FROM IDENTIFIER(:database || '.run_health') h JOIN chosen c ON c.run_id = h.run_id
ORDER BY c.pick, array_position(array('dead_neurons', 'vanishing_gradients', 'exploding_gradients', 'activation_saturation', 'gradient_snr', 'weight_update_ratio', 'plateau', 'overfitting', 'weight_health', 'learning_progress'), h.diagnostic)

-- COMMAND ----------

-- DBTITLE 1,Every diagnostic's status per epoch
-- Chart: heatmap. X = epoch; Y = run_diagnostic; color = status_rank (3 CRITICAL ... 0 UNKNOWN)
WITH p AS (SELECT :experiment AS experiment, :runs AS runs, :diagnostic AS diagnostic),
ranked AS (
  SELECT s.run_id, s.experiment, s.health, s.params, s.critical_diagnostics, s.warning_diagnostics, s.epochs,
         s.final_val_loss, s.best_val_loss,
         row_number() OVER (ORDER BY CASE s.health WHEN 'CRITICAL' THEN 3 WHEN 'WARNING' THEN 2 WHEN 'HEALTHY' THEN 1 ELSE 0 END DESC, size(s.critical_diagnostics) DESC,
                                     size(s.warning_diagnostics) DESC, s.run_id) AS pick
  FROM IDENTIFIER(:database || '.run_summary') s CROSS JOIN p
  WHERE CASE WHEN trim(p.runs) = '' THEN p.experiment = '' OR s.experiment = p.experiment
             ELSE array_contains(transform(split(p.runs, ','), r -> trim(r)), s.run_id) END),
chosen AS (SELECT r.* FROM ranked r CROSS JOIN p WHERE trim(p.runs) <> '' OR r.pick <= 3)
SELECT concat(d.run_id, ' / ', d.diagnostic) AS run_diagnostic, d.epoch, d.status,
       CASE d.status WHEN 'CRITICAL' THEN 3 WHEN 'WARNING' THEN 2 WHEN 'HEALTHY' THEN 1 ELSE 0 END AS status_rank, d.value
FROM IDENTIFIER(:database || '.diagnostics') d JOIN chosen c ON c.run_id = d.run_id
WHERE d.layer IS NULL
ORDER BY c.pick, array_position(array('dead_neurons', 'vanishing_gradients', 'exploding_gradients', 'activation_saturation', 'gradient_snr', 'weight_update_ratio', 'plateau', 'overfitting', 'weight_health', 'learning_progress'), d.diagnostic), d.epoch

-- COMMAND ----------

-- DBTITLE 1,The diagnostic's value per epoch
-- Chart: line. X = epoch; Y = value; group by run_id
WITH p AS (SELECT :experiment AS experiment, :runs AS runs, :diagnostic AS diagnostic),
ranked AS (
  SELECT s.run_id, s.experiment, s.health, s.params, s.critical_diagnostics, s.warning_diagnostics, s.epochs,
         s.final_val_loss, s.best_val_loss,
         row_number() OVER (ORDER BY CASE s.health WHEN 'CRITICAL' THEN 3 WHEN 'WARNING' THEN 2 WHEN 'HEALTHY' THEN 1 ELSE 0 END DESC, size(s.critical_diagnostics) DESC,
                                     size(s.warning_diagnostics) DESC, s.run_id) AS pick
  FROM IDENTIFIER(:database || '.run_summary') s CROSS JOIN p
  WHERE CASE WHEN trim(p.runs) = '' THEN p.experiment = '' OR s.experiment = p.experiment
             ELSE array_contains(transform(split(p.runs, ','), r -> trim(r)), s.run_id) END),
chosen AS (SELECT r.* FROM ranked r CROSS JOIN p WHERE trim(p.runs) <> '' OR r.pick <= 3)
SELECT d.run_id, d.epoch, d.value, d.status
FROM IDENTIFIER(:database || '.diagnostics') d JOIN chosen c ON c.run_id = d.run_id CROSS JOIN p
WHERE d.layer IS NULL AND d.diagnostic = p.diagnostic
ORDER BY c.pick, d.epoch

-- COMMAND ----------

-- DBTITLE 1,Statuses and values per epoch, one row per run and epoch
-- Chart: table
WITH p AS (SELECT :experiment AS experiment, :runs AS runs, :diagnostic AS diagnostic),
ranked AS (
  SELECT s.run_id, s.experiment, s.health, s.params, s.critical_diagnostics, s.warning_diagnostics, s.epochs,
         s.final_val_loss, s.best_val_loss,
         row_number() OVER (ORDER BY CASE s.health WHEN 'CRITICAL' THEN 3 WHEN 'WARNING' THEN 2 WHEN 'HEALTHY' THEN 1 ELSE 0 END DESC, size(s.critical_diagnostics) DESC,
                                     size(s.warning_diagnostics) DESC, s.run_id) AS pick
  FROM IDENTIFIER(:database || '.run_summary') s CROSS JOIN p
  WHERE CASE WHEN trim(p.runs) = '' THEN p.experiment = '' OR s.experiment = p.experiment
             ELSE array_contains(transform(split(p.runs, ','), r -> trim(r)), s.run_id) END),
chosen AS (SELECT r.* FROM ranked r CROSS JOIN p WHERE trim(p.runs) <> '' OR r.pick <= 3)
SELECT w.run_id, w.epoch,
       w.dead_neurons_status,
       w.vanishing_gradients_status,
       w.exploding_gradients_status,
       w.activation_saturation_status,
       w.gradient_snr_status,
       w.weight_update_ratio_status,
       w.plateau_status,
       w.overfitting_status,
       w.weight_health_status,
       w.learning_progress_status
FROM IDENTIFIER(:database || '.diagnostics_wide') w JOIN chosen c ON c.run_id = w.run_id
WHERE w.layer IS NULL
ORDER BY c.pick, w.epoch

-- COMMAND ----------

-- DBTITLE 1,Layers x epochs of the diagnostic
-- Chart: heatmap. X = epoch; Y = run_layer; color = value (status in the table)
WITH p AS (SELECT :experiment AS experiment, :runs AS runs, :diagnostic AS diagnostic),
ranked AS (
  SELECT s.run_id, s.experiment, s.health, s.params, s.critical_diagnostics, s.warning_diagnostics, s.epochs,
         s.final_val_loss, s.best_val_loss,
         row_number() OVER (ORDER BY CASE s.health WHEN 'CRITICAL' THEN 3 WHEN 'WARNING' THEN 2 WHEN 'HEALTHY' THEN 1 ELSE 0 END DESC, size(s.critical_diagnostics) DESC,
                                     size(s.warning_diagnostics) DESC, s.run_id) AS pick
  FROM IDENTIFIER(:database || '.run_summary') s CROSS JOIN p
  WHERE CASE WHEN trim(p.runs) = '' THEN p.experiment = '' OR s.experiment = p.experiment
             ELSE array_contains(transform(split(p.runs, ','), r -> trim(r)), s.run_id) END),
chosen AS (SELECT r.* FROM ranked r CROSS JOIN p WHERE trim(p.runs) <> '' OR r.pick <= 3)
SELECT concat(d.run_id, ' / layer ', CAST(d.layer AS STRING)) AS run_layer, d.epoch, d.value, d.status,
       CASE d.status WHEN 'CRITICAL' THEN 3 WHEN 'WARNING' THEN 2 WHEN 'HEALTHY' THEN 1 ELSE 0 END AS status_rank
FROM IDENTIFIER(:database || '.diagnostics') d JOIN chosen c ON c.run_id = d.run_id CROSS JOIN p
WHERE d.layer IS NOT NULL AND d.diagnostic = p.diagnostic
ORDER BY c.pick, d.layer, d.epoch

-- COMMAND ----------

-- DBTITLE 1,Loss curves
-- Chart: line. X = epoch; Y = train_loss, val_loss; group by run_id (log scale on Y helps)
WITH p AS (SELECT :experiment AS experiment, :runs AS runs, :diagnostic AS diagnostic),
ranked AS (
  SELECT s.run_id, s.experiment, s.health, s.params, s.critical_diagnostics, s.warning_diagnostics, s.epochs,
         s.final_val_loss, s.best_val_loss,
         row_number() OVER (ORDER BY CASE s.health WHEN 'CRITICAL' THEN 3 WHEN 'WARNING' THEN 2 WHEN 'HEALTHY' THEN 1 ELSE 0 END DESC, size(s.critical_diagnostics) DESC,
                                     size(s.warning_diagnostics) DESC, s.run_id) AS pick
  FROM IDENTIFIER(:database || '.run_summary') s CROSS JOIN p
  WHERE CASE WHEN trim(p.runs) = '' THEN p.experiment = '' OR s.experiment = p.experiment
             ELSE array_contains(transform(split(p.runs, ','), r -> trim(r)), s.run_id) END),
chosen AS (SELECT r.* FROM ranked r CROSS JOIN p WHERE trim(p.runs) <> '' OR r.pick <= 3)
SELECT e.run_id, e.epoch, e.train_loss, e.val_loss
FROM IDENTIFIER(:telemetry || '.epochs') e JOIN chosen c ON c.run_id = e.run_id
ORDER BY c.pick, e.epoch
