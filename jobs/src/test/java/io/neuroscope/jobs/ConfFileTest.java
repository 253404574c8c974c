package io.neuroscope.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.neuroscope.diagnostics.Settings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** conf/neuroscope.properties, the file users edit, lists every setting with the spec's default. */
class ConfFileTest {
  @Test
  void confFileHoldsEverySettingAtItsDefault() throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(Path.of("../conf/neuroscope.properties"))) {
      p.load(r);
    }
    Map<String, String> settings = new TreeMap<>();
    for (String k : p.stringPropertyNames()) {
      if (!k.startsWith("spark.")) settings.put(k, p.getProperty(k).trim());
    }
    Map<String, String> defaults = new TreeMap<>(Settings.defaults().asMap());
    assertEquals(defaults.keySet(), settings.keySet());
    for (String k : defaults.keySet()) {
      String a = defaults.get(k), b = settings.get(k);
      boolean same =
          !a.matches("-?[0-9.eE+-]+")
              ? a.equals(b)
              : Double.parseDouble(a) == Double.parseDouble(b);
      assertEquals(true, same, k + ": built-in " + a + ", conf file " + b);
    }
  }
}
