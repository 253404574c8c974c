/**
 * Findings: run-level verdicts read from a run's {@code diagnostics} rows (which stay exactly the
 * spec's). A finding is a problem a run had — one of the ten diagnostics, or {@code non_finite} —
 * with its onset, how long it held, its severity, and whether it is a cause or a symptom of another
 * finding of the same run. Each rule family is one class: {@link WarmUp}, {@link Calibration},
 * {@link Persistence}, {@link Cohort}, {@link CauseAndSymptom}, {@link NonFinite}; {@link
 * RunFindings} applies them in that order. Every threshold is a {@code findings.*} setting.
 */
package io.neuroscope.findings;
