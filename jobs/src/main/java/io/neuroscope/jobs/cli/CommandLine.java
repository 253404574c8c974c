package io.neuroscope.jobs.cli;

import io.neuroscope.jobs.error.NeuroScopeErrors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The command line, the same under bin/neuroscope and spark-submit: {@code neuroscope COMMAND
 * [options]}. The job's commands are built in; the others are found on the classpath with {@link
 * ServiceLoader} (the sample module's demo, generators and benchmarks).
 */
public final class CommandLine {
  private final Map<String, Command> commands = new LinkedHashMap<>();

  private CommandLine(List<Command> all) {
    for (Command c : all) commands.putIfAbsent(c.name(), c);
  }

  /** The built-in commands, then those the classpath provides. */
  public static CommandLine load() {
    List<Command> all =
        new ArrayList<>(
            List.of(
                JobCommand.DIAGNOSTICS,
                JobCommand.SUMMARIES,
                JobCommand.NIGHTLY,
                new SqlCommand(),
                new CompareCommand(),
                new EvaluateCommand(),
                new ReportCommand()));
    ServiceLoader.load(Command.class, CommandLine.class.getClassLoader()).forEach(all::add);
    return new CommandLine(all);
  }

  /** Every command's usage, the job's commands first. */
  public String usage() {
    List<String> blocks = new ArrayList<>();
    for (Command c : commands.values()) {
      if (!blocks.contains(c.usage())) blocks.add(c.usage());
    }
    return String.join("\n", blocks);
  }

  /**
   * Runs a command in the active (or a new) SparkSession and leaves it running; returns the exit
   * status. Usage and contract errors throw with a one-line reason.
   */
  public int run(String[] args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.println(usage());
      return args.length == 0 ? 2 : 0;
    }
    Command command = commands.get(args[0]);
    if (command == null) throw NeuroScopeErrors.unknownCommand(args[0], usage());
    return command.run(parse(command, args));
  }

  /** "--name value" pairs after the command (and its positional argument); --set may repeat. */
  Invocation parse(Command command, String[] args) {
    Options known = command.options();
    Map<String, String> opts = new LinkedHashMap<>();
    List<String> sets = new ArrayList<>();
    Map<String, List<String>> repeated = new LinkedHashMap<>();
    int i = 1;
    String positional = null;
    if (known.positional() != null) {
      if (i >= args.length || args[i].startsWith("--")) {
        throw NeuroScopeErrors.missingArgument(command.name(), known.positional(), usage());
      }
      positional = args[i++];
    }
    for (; i < args.length; i++) {
      String a = args[i];
      if (known.flags().contains(a)) {
        opts.put(a, "true");
        continue;
      }
      if (!a.startsWith("--") || i + 1 >= args.length)
        throw NeuroScopeErrors.badArgument(a, usage());
      String v = args[++i];
      if (a.equals("--set")) sets.add(v);
      else if (known.repeatable().contains(a))
        repeated.computeIfAbsent(a, k -> new ArrayList<>()).add(v);
      else if (a.equals("--conf") || known.values().contains(a)) opts.put(a, v);
      else throw NeuroScopeErrors.unknownOption(a, usage());
    }
    return new Invocation(command, opts, repeated, sets, positional, usage());
  }
}
