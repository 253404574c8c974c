/**
 * NeuroScope's Spark jobs. {@link io.neuroscope.jobs.NeuroScope} is the main class (spark-submit
 * lines and Databricks JAR tasks name it). The packages below it are ordered; each imports only
 * packages below it:
 *
 * <ol>
 *   <li>{@code cli}: the command line, its commands and settings sources;
 *   <li>{@code report} (the HTML report, compare) and {@code nightly} (fingerprints, state, audit,
 *       the nightly action);
 *   <li>{@code summary} (run and experiment summaries, hyperparameter effects) and {@code
 *       diagnostics} (the engine);
 *   <li>{@code telemetry}: the input contract, reading, validation and quarantine;
 *   <li>{@code table}: the output tables, keyed upserts, Delta commits, catalog views;
 *   <li>{@code spark}: session hygiene, progress and timing;
 *   <li>{@code error} (error classes and exit statuses) and {@code action} (the shape of a unit of
 *       work).
 * </ol>
 *
 * <p>The demo, the training engine, the generators and the benchmarks live in {@code
 * io.neuroscope.sample}, a module of its own ({@code jobs/sample}) that this one never imports.
 * {@code ArchitectureTest} holds the order.
 */
package io.neuroscope.jobs;
