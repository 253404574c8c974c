/**
 * The input: the contract of the four telemetry tables ({@link
 * io.neuroscope.jobs.telemetry.TelemetryContract}), reading them from folders or a catalog, the row
 * rules and the quarantine of rows that break them.
 */
package io.neuroscope.jobs.telemetry;
