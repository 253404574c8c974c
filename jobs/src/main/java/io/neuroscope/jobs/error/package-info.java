/**
 * Errors with classes: {@link io.neuroscope.jobs.error.NeuroScopeErrors} builds each one, with its
 * error class, its one-line message and its exit status (usage and contract 2, other failures 1).
 */
package io.neuroscope.jobs.error;
