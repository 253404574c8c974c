-- Databricks notebook source
-- MAGIC %md
-- MAGIC # NeuroScope: which hyperparameters drive which pathology?
-- MAGIC
-- MAGIC The `hyperparameter_effects` table relates each hyperparameter to each target: a diagnostic's `final` value, its
-- MAGIC `max` value and its `critical_share` (the share of epochs at CRITICAL), and the validation loss (`final`, `best`),
-- MAGIC per run.
-- MAGIC
-- MAGIC * numeric hyperparameters: Pearson and Spearman correlation with p-values and 95 % intervals (Fisher z), on a linear
-- MAGIC   and, where the values span a decade or more, a log10 scale;
-- MAGIC * categorical ones: the correlation ratio eta squared, omega squared (eta squared corrected for the number of
-- MAGIC   levels), the ANOVA p-value and the target's mean per level;
-- MAGIC * per target, where the scope has at least `effects.forest.min_runs` runs (20 by default), random forests over all
-- MAGIC   varying hyperparameters: the importance of each, and the forests' cross-validated R squared. **An R squared near
-- MAGIC   or below 0 means the importances are noise.**
-- MAGIC
-- MAGIC `strength` is one number to sort by: max(|Pearson|, |Spearman|), or sqrt(omega squared). Pairs with too few runs or a
-- MAGIC constant hyperparameter or target have no statistics and a `reason`.
-- MAGIC
-- MAGIC * **scope**: `all` (all runs together) or an experiment's name.
-- MAGIC * **target**, **measure**: for the importances, the level means and the scatter (`val_loss` has `final` and `best`;
-- MAGIC   the diagnostics `final`, `max` and `critical_share`).
-- MAGIC * **hyperparameter**: for the scatter; empty takes the numeric one with the strongest effect on the target.

-- COMMAND ----------

-- DBTITLE 1,Widgets
CREATE WIDGET TEXT database DEFAULT 'neuroscope';
CREATE WIDGET TEXT scope DEFAULT 'all';
CREATE WIDGET DROPDOWN target DEFAULT 'exploding_gradients' CHOICES SELECT * FROM (VALUES ('dead_neurons'), ('vanishing_gradients'), ('exploding_gradients'), ('activation_saturation'), ('gradient_snr'), ('weight_update_ratio'), ('plateau'), ('overfitting'), ('weight_health'), ('learning_progress'), ('val_loss'));
CREATE WIDGET DROPDOWN measure DEFAULT 'max' CHOICES SELECT * FROM (VALUES ('final'), ('max'), ('critical_share'), ('best'));
CREATE WIDGET TEXT hyperparameter DEFAULT '';

-- COMMAND ----------

-- DBTITLE 1,The strongest effects in the scope
-- Chart: table (strongest first)
WITH p AS (SELECT :scope AS scope, :target AS target, :measure AS measure,
                   :hyperparameter AS hyperparameter)
SELECT e.hyperparameter, e.kind, e.scale, e.target, e.measure, e.n,
       round(e.strength, 3) AS strength,
       round(e.spearman, 3) AS spearman, e.spearman_p,
       round(e.spearman_ci_low, 3) AS spearman_ci_low, round(e.spearman_ci_high, 3) AS spearman_ci_high,
       round(e.pearson, 3) AS pearson, e.pearson_p,
       round(e.eta_squared, 3) AS eta_squared, round(e.omega_squared, 3) AS omega_squared, e.anova_p,
       round(e.importance, 3) AS importance, round(e.forest_r2, 3) AS forest_r2
FROM IDENTIFIER(:database || '.hyperparameter_effects') e CROSS JOIN p
WHERE e.reason IS NULL AND ((p.scope = 'all' AND e.scope_type = 'all') OR (p.scope <> 'all' AND e.scope_type = 'experiment' AND e.scope = p.scope))
ORDER BY e.strength DESC, e.hyperparameter, e.target, e.measure
LIMIT 30

-- COMMAND ----------

-- DBTITLE 1,Correlation matrix: hyperparameter x target
-- Chart: heatmap. X = target_measure; Y = hyperparameter; color = signed_strength (numeric: the sign of the Spearman correlation; categorical: sqrt(omega squared), unsigned)
WITH p AS (SELECT :scope AS scope, :target AS target, :measure AS measure,
                   :hyperparameter AS hyperparameter)
SELECT e.hyperparameter, concat(e.target, ' ', e.measure) AS target_measure,
       round(max_by(CASE WHEN e.kind = 'numeric' THEN signum(coalesce(e.spearman, e.pearson)) * e.strength
                         ELSE e.strength END, e.strength), 3) AS signed_strength,
       round(max(e.strength), 3) AS strength
FROM IDENTIFIER(:database || '.hyperparameter_effects') e CROSS JOIN p
WHERE e.reason IS NULL AND ((p.scope = 'all' AND e.scope_type = 'all') OR (p.scope <> 'all' AND e.scope_type = 'experiment' AND e.scope = p.scope))
GROUP BY e.hyperparameter, e.target, e.measure
ORDER BY e.hyperparameter, array_position(array('dead_neurons', 'vanishing_gradients', 'exploding_gradients', 'activation_saturation', 'gradient_snr', 'weight_update_ratio', 'plateau', 'overfitting', 'weight_health', 'learning_progress'), e.target), e.measure

-- COMMAND ----------

-- DBTITLE 1,What matters for the target: strength, and the forests' importance where fitted
-- Chart: bar. X = hyperparameter; Y = strength, importance (importance is null below effects.forest.min_runs runs; read forest_r2 first: at or below 0 the importances are noise)
WITH p AS (SELECT :scope AS scope, :target AS target, :measure AS measure,
                   :hyperparameter AS hyperparameter)
SELECT e.hyperparameter, e.kind,
       round(max(e.importance), 3) AS importance,
       round(max(e.forest_r2), 3) AS forest_r2,
       round(max(e.strength), 3) AS strength,
       max(e.n) AS n
FROM IDENTIFIER(:database || '.hyperparameter_effects') e CROSS JOIN p
WHERE e.target = p.target AND e.measure = p.measure AND e.reason IS NULL AND ((p.scope = 'all' AND e.scope_type = 'all') OR (p.scope <> 'all' AND e.scope_type = 'experiment' AND e.scope = p.scope))
GROUP BY e.hyperparameter, e.kind
ORDER BY importance DESC NULLS LAST, strength DESC, e.hyperparameter

-- COMMAND ----------

-- DBTITLE 1,Categorical hyperparameters: the target's mean per level
-- Chart: bar. X = level; Y = mean; group by hyperparameter
WITH p AS (SELECT :scope AS scope, :target AS target, :measure AS measure,
                   :hyperparameter AS hyperparameter)
SELECT e.hyperparameter, l.level, l.mean, e.level_counts[l.level] AS runs,
       round(e.eta_squared, 3) AS eta_squared, round(e.omega_squared, 3) AS omega_squared, e.anova_p
FROM IDENTIFIER(:database || '.hyperparameter_effects') e CROSS JOIN p
LATERAL VIEW explode(e.level_means) l AS level, mean
WHERE e.kind = 'categorical' AND e.reason IS NULL AND e.target = p.target AND e.measure = p.measure AND ((p.scope = 'all' AND e.scope_type = 'all') OR (p.scope <> 'all' AND e.scope_type = 'experiment' AND e.scope = p.scope))
ORDER BY e.strength DESC, e.hyperparameter, l.mean DESC

-- COMMAND ----------

-- DBTITLE 1,Scatter: the hyperparameter against the target, one point per run
-- Chart: scatter. X = x (or log10_x); Y = y; group by experiment
WITH p AS (SELECT :scope AS scope, :target AS target, :measure AS measure,
                   :hyperparameter AS hyperparameter),
strongest AS (
  SELECT max_by(e.hyperparameter, e.strength) AS hyperparameter
  FROM IDENTIFIER(:database || '.hyperparameter_effects') e CROSS JOIN p
  WHERE e.kind = 'numeric' AND e.reason IS NULL AND e.target = p.target AND e.measure = p.measure AND ((p.scope = 'all' AND e.scope_type = 'all') OR (p.scope <> 'all' AND e.scope_type = 'experiment' AND e.scope = p.scope))),
h AS (SELECT coalesce(nullif(trim(p.hyperparameter), ''), s.hyperparameter) AS hyperparameter
      FROM p CROSS JOIN strongest s),
points AS (
  SELECT s.run_id, s.experiment, h.hyperparameter, s.params[h.hyperparameter] AS value,
         try_element_at(map(
           'dead_neurons final', s.dead_neurons_final,
           'dead_neurons max', s.dead_neurons_max,
           'dead_neurons critical_share', s.dead_neurons_critical_share,
           'vanishing_gradients final', s.vanishing_gradients_final,
           'vanishing_gradients max', s.vanishing_gradients_max,
           'vanishing_gradients critical_share', s.vanishing_gradients_critical_share,
           'exploding_gradients final', s.exploding_gradients_final,
           'exploding_gradients max', s.exploding_gradients_max,
           'exploding_gradients critical_share', s.exploding_gradients_critical_share,
           'activation_saturation final', s.activation_saturation_final,
           'activation_saturation max', s.activation_saturation_max,
           'activation_saturation critical_share', s.activation_saturation_critical_share,
           'gradient_snr final', s.gradient_snr_final,
           'gradient_snr max', s.gradient_snr_max,
           'gradient_snr critical_share', s.gradient_snr_critical_share,
           'weight_update_ratio final', s.weight_update_ratio_final,
           'weight_update_ratio max', s.weight_update_ratio_max,
           'weight_update_ratio critical_share', s.weight_update_ratio_critical_share,
           'plateau final', s.plateau_final,
           'plateau max', s.plateau_max,
           'plateau critical_share', s.plateau_critical_share,
           'overfitting final', s.overfitting_final,
           'overfitting max', s.overfitting_max,
           'overfitting critical_share', s.overfitting_critical_share,
           'weight_health final', s.weight_health_final,
           'weight_health max', s.weight_health_max,
           'weight_health critical_share', s.weight_health_critical_share,
           'learning_progress final', s.learning_progress_final,
           'learning_progress max', s.learning_progress_max,
           'learning_progress critical_share', s.learning_progress_critical_share,
           'val_loss final', s.final_val_loss,
           'val_loss best', s.best_val_loss), concat(p.target, ' ', p.measure)) AS y
  FROM IDENTIFIER(:database || '.run_summary') s CROSS JOIN p CROSS JOIN h
  WHERE p.scope = 'all' OR s.experiment = p.scope)
SELECT run_id, experiment, hyperparameter, value,
       try_cast(value AS DOUBLE) AS x,
       CASE WHEN try_cast(value AS DOUBLE) > 0 THEN log10(try_cast(value AS DOUBLE)) END AS log10_x,
       y
FROM points
WHERE value IS NOT NULL AND y IS NOT NULL AND NOT isnan(y)
ORDER BY x, run_id

-- COMMAND ----------

-- DBTITLE 1,Pairs without statistics, and why
-- Chart: table
-- may be empty: every pair of the scope has its statistics
WITH p AS (SELECT :scope AS scope, :target AS target, :measure AS measure,
                   :hyperparameter AS hyperparameter)
SELECT e.reason, count(*) AS pairs, sort_array(collect_set(e.hyperparameter)) AS hyperparameters
FROM IDENTIFIER(:database || '.hyperparameter_effects') e CROSS JOIN p
WHERE e.reason IS NOT NULL AND ((p.scope = 'all' AND e.scope_type = 'all') OR (p.scope <> 'all' AND e.scope_type = 'experiment' AND e.scope = p.scope))
GROUP BY e.reason
ORDER BY pairs DESC
