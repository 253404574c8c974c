/**
 * The shape of a unit of work: an {@link io.neuroscope.jobs.action.Action} is told its {@link
 * io.neuroscope.jobs.action.Scope}, runs once, and returns a result with an {@link
 * io.neuroscope.jobs.action.Outcome}.
 */
package io.neuroscope.jobs.action;
