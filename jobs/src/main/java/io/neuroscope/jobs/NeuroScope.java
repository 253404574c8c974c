package io.neuroscope.jobs;

import io.neuroscope.jobs.cli.CommandLine;
import io.neuroscope.jobs.error.NeuroScopeException;
import org.apache.spark.sql.SparkSession;

/**
 * The main class, the same under bin/neuroscope, spark-submit and Databricks JAR tasks: runs one
 * {@link CommandLine command} and exits with its status (2 for usage and contract errors, 1 for
 * other failures).
 */
public final class NeuroScope {
  private NeuroScope() {}

  public static void main(String[] args) {
    int status;
    try {
      status = run(args);
    } catch (NeuroScopeException e) {
      System.err.println("neuroscope: " + e.getMessage());
      status = e.exitStatus();
    } catch (RuntimeException | Error e) {
      System.err.println("neuroscope: failed: " + e);
      e.printStackTrace();
      status = 1;
    } finally {
      SparkSession.getActiveSession()
          .foreach(
              s -> {
                s.stop();
                return null;
              });
    }
    // A clean return, not System.exit(0): Databricks JAR tasks and spark-submit expect main to
    // return.
    if (status != 0) System.exit(status);
  }

  /**
   * Runs a command in the active (or a new) SparkSession and leaves it running; returns the exit
   * status. Usage and contract errors throw a {@link NeuroScopeException} with a one-line reason.
   */
  public static int run(String[] args) {
    return CommandLine.load().run(args);
  }
}
