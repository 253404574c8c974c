package io.neuroscope.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of {@code io.neuroscope.jobs} in their stated order (package-info of {@code
 * io.neuroscope.jobs}): a class may use its own package and those below it, never one above it nor
 * one beside it on the same level; nothing here uses the sample module's code.
 */
class ArchitectureTest {
  /** Top to bottom; packages on one line are on the same level. */
  static final List<List<String>> LEVELS =
      List.of(
          List.of("io.neuroscope.jobs"),
          List.of("io.neuroscope.jobs.cli"),
          List.of("io.neuroscope.jobs.report", "io.neuroscope.jobs.nightly"),
          List.of("io.neuroscope.jobs.summary", "io.neuroscope.jobs.diagnostics"),
          List.of("io.neuroscope.jobs.telemetry"),
          List.of("io.neuroscope.jobs.table"),
          List.of("io.neuroscope.jobs.spark"),
          List.of("io.neuroscope.jobs.error", "io.neuroscope.jobs.action"));

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.neuroscope.jobs");

  @Test
  void everyPackageIsOnALevel() {
    TreeSet<String> unplaced = new TreeSet<>();
    for (JavaClass c : CLASSES) if (level(c.getPackageName()) < 0) unplaced.add(c.getPackageName());
    assertEquals(
        new TreeSet<>(),
        unplaced,
        "packages missing from LEVELS (and from the order in package-info)");
  }

  @Test
  void noPackageUsesOneAboveOrBesideIt() {
    assertEquals(List.of(), upwardDependencies(CLASSES));
  }

  @Test
  void anUpwardDependencyIsFound() {
    List<String> found =
        upwardDependencies(
            new ClassFileImporter().importClasses(io.neuroscope.jobs.table.UpwardFixture.class));
    assertTrue(found.stream().anyMatch(v -> v.contains("TelemetryContract")), found.toString());
  }

  static List<String> upwardDependencies(JavaClasses classes) {
    List<String> violations = new ArrayList<>();
    for (JavaClass c : classes) {
      String from = c.getPackageName();
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        String to = d.getTargetClass().getPackageName();
        if (to.equals(from) || !to.startsWith("io.neuroscope.jobs")) continue;
        if (level(to) <= level(from)) violations.add(d.getDescription());
      }
    }
    return violations.stream().distinct().sorted().toList();
  }

  @Test
  void theJobNeverUsesTheSampleModule() {
    List<String> violations = new ArrayList<>();
    for (JavaClass c : CLASSES) {
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        if (d.getTargetClass().getPackageName().startsWith("io.neuroscope.sample"))
          violations.add(d.getDescription());
      }
    }
    assertEquals(List.of(), violations);
  }

  @Test
  void theRootHoldsOnlyTheMainClass() {
    List<String> root =
        CLASSES.stream()
            .filter(c -> c.getPackageName().equals("io.neuroscope.jobs"))
            .filter(c -> c.getEnclosingClass().isEmpty())
            .map(JavaClass::getSimpleName)
            .filter(n -> !n.equals("package-info"))
            .sorted()
            .toList();
    assertEquals(List.of("NeuroScope"), root);
  }

  @Test
  void everyPackageSaysWhatItIsFor() throws Exception {
    Path main = Path.of("src/main/java");
    List<String> missing = new ArrayList<>();
    try (Stream<Path> dirs = Files.walk(main)) {
      for (Path d : dirs.filter(Files::isDirectory).toList()) {
        boolean hasClasses;
        try (Stream<Path> files = Files.list(d)) {
          hasClasses = files.anyMatch(f -> f.toString().endsWith(".java"));
        }
        if (hasClasses && !Files.exists(d.resolve("package-info.java")))
          missing.add(main.relativize(d).toString());
      }
    }
    assertTrue(missing.isEmpty(), "no package-info.java in " + missing);
  }

  private static int level(String pkg) {
    for (int i = 0; i < LEVELS.size(); i++) if (LEVELS.get(i).contains(pkg)) return i;
    return -1;
  }
}
