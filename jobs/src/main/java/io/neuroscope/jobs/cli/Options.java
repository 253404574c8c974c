package io.neuroscope.jobs.cli;

import java.util.List;

/**
 * A command's options: those that take a value ({@code --name value}), those that may be given more
 * than once ({@code --run a --run b}), flags ({@code --full}), and the name of a leading positional
 * argument where it takes one (sql's query).
 */
public record Options(
    List<String> values, List<String> repeatable, List<String> flags, String positional) {

  public static Options of(String... values) {
    return new Options(List.of(values), List.of(), List.of(), null);
  }

  public Options withRepeatable(String... repeatable) {
    return new Options(values, List.of(repeatable), flags, positional);
  }

  public Options withFlags(String... flags) {
    return new Options(values, repeatable, List.of(flags), positional);
  }

  public Options withPositional(String name) {
    return new Options(values, repeatable, flags, name);
  }
}
