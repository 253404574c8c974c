/**
 * The command line: {@link io.neuroscope.jobs.cli.CommandLine} parses {@code neuroscope COMMAND
 * [options]}, finds the {@link io.neuroscope.jobs.cli.Command} (built in, or on the classpath by
 * {@link java.util.ServiceLoader}), and hands it an {@link io.neuroscope.jobs.cli.Invocation}: its
 * options, its settings (defaults, {@code --conf}, {@code spark.neuroscope.*}, {@code --set}) and
 * its SparkSession.
 */
package io.neuroscope.jobs.cli;
