/**
 * A small, dependency-free training engine for dense multi-layer perceptrons: the workload that
 * produces real sample telemetry.
 *
 * <p>One concept per class: {@link Activation}, {@link Init}, {@link Optimizer}, {@link Loss},
 * {@link Layer}, {@link Network} (forward pass and backpropagation), {@link Trainer} (mini-batch
 * loop), the synthetic {@link Datasets}, and what a telemetry writer receives after every epoch
 * through an {@link EpochListener}: an {@link EpochReport}.
 *
 * <p>Conventions. Matrices are row-major {@code double[]}; a batch is rows = samples, cols =
 * features; a weight matrix is fan_in × fan_out (rows = fan_in), so a layer computes {@code z = a·W
 * + b}. Everything is seeded and single-threaded, and the elementary functions come from {@link
 * java.lang.StrictMath}, so the same seed gives bit-identical weights and losses on any JVM and
 * machine.
 */
package io.neuroscope.sample.training;
