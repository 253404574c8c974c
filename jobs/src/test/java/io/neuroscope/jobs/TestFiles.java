package io.neuroscope.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folder trees for the tests: copied, hard-linked (same files, no bytes copied) or deleted. */
final class TestFiles {
  private TestFiles() {}

  interface FileAction {
    void apply(Path target, Path source) throws IOException;
  }

  static void copyTree(Path from, Path to) {
    walk(from, to, (target, source) -> Files.copy(source, target));
  }

  static void linkTree(Path from, Path to) {
    walk(from, to, Files::createLink);
  }

  /** Deletes {@code root} and all below it; nothing when it does not exist. */
  static void deleteTree(Path root) {
    if (!Files.exists(root)) return;
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void walk(Path from, Path to, FileAction file) {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else file.apply(target, p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
