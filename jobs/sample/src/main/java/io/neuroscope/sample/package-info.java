/**
 * The sample side of NeuroScope, outside the spark-submit jar: the demo's sweep of small trainings
 * ({@link io.neuroscope.sample.Sweep}) with planted pathologies and healthy baselines, the
 * telemetry writer, the demo's printout, and the {@code demo} and {@code generate} commands, which
 * the command line finds through {@link java.util.ServiceLoader}.
 */
package io.neuroscope.sample;
