/**
 * The nightly job and what it owns: the telemetry's fingerprints, the state of the last run ({@code
 * nightly_state}), the decision of what changed, and the audit ({@code nightly_audit}). It tells
 * the engine in {@code diagnostics} what to compute; the engine knows nothing of state.
 */
package io.neuroscope.jobs.nightly;
