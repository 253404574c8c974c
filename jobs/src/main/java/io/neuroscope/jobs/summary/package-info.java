/**
 * Run and experiment summaries and hyperparameter effects over the {@code diagnostics} table:
 * correlations, Fisher z intervals, ANOVA, MLlib forests; {@link
 * io.neuroscope.jobs.summary.SummariesAction} writes them.
 */
package io.neuroscope.jobs.summary;
