package io.neuroscope.jobs.cli;

/**
 * A command of the command line ({@code neuroscope NAME [options]}). The job's own commands are
 * built in; others (the demo, the generators, the benchmarks, which ship outside the spark-submit
 * jar) are found with {@link java.util.ServiceLoader} when their jar is on the classpath.
 */
public interface Command {
  /** The word after {@code neuroscope}. */
  String name();

  /** Its usage: "usage: neuroscope NAME ..." then indented lines saying what it does. */
  String usage();

  /** The options it takes, besides {@code --conf} and {@code --set}, which every command takes. */
  Options options();

  /**
   * Runs it; returns the exit status. Usage errors throw a {@link
   * io.neuroscope.jobs.error.UsageException}.
   */
  int run(Invocation call);
}
