package io.neuroscope.jobs.action;

/**
 * A unit of work over the telemetry and the output tables: built with everything it needs, run once
 * by {@link #execute()}, which returns what it did.
 *
 * @param <R> its result: a record with named fields, whose {@link Result#outcome()} says how much
 *     was computed
 */
public interface Action<R extends Action.Result> {
  R execute();

  /** What an action did. */
  interface Result {
    Outcome outcome();
  }
}
