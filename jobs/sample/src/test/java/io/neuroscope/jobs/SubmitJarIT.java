package io.neuroscope.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The spark-submit jar carries the job, the diagnostics and Delta, and none of the sample module.
 */
class SubmitJarIT {
  @Test
  void theJarHoldsTheJobAndNoSampleCode() throws IOException {
    Path jar = Path.of(System.getProperty("neuroscope.submit.jar", "../target/missing.jar"));
    assertTrue(Files.exists(jar), "no spark-submit jar at " + jar + " (mvn package builds it)");
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      List<String> ours =
          zip.stream()
              .map(ZipEntry::getName)
              .filter(n -> n.startsWith("io/neuroscope/") && n.endsWith(".class"))
              .toList();
      assertEquals(
          List.of(),
          ours.stream().filter(n -> n.startsWith("io/neuroscope/sample/")).toList(),
          "sample classes in the spark-submit jar");
      assertTrue(ours.contains("io/neuroscope/jobs/NeuroScope.class"), "the main class");
      assertTrue(
          ours.contains("io/neuroscope/diagnostics/Diagnostics.class"), "the diagnostics (udfs)");
      assertTrue(
          zip.getEntry("META-INF/services/io.neuroscope.jobs.cli.Command") == null,
          "no command of the sample is registered in the jar");
      assertTrue(zip.getEntry("io/delta/tables/DeltaTable.class") != null, "Delta is bundled");
    }
  }
}
