/**
 * The diagnostics engine: one pass over the tensors' values ({@link
 * io.neuroscope.jobs.diagnostics.TensorPass}), then per run the ten diagnostics of {@code
 * io.neuroscope.diagnostics} ({@link io.neuroscope.jobs.diagnostics.RunEvaluator}), for the runs
 * and epochs of a scope.
 */
package io.neuroscope.jobs.diagnostics;
