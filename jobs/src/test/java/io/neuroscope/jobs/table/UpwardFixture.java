package io.neuroscope.jobs.table;

import io.neuroscope.jobs.telemetry.TelemetryContract;

/**
 * A class that breaks the package order on purpose (table uses telemetry, above it), for
 * ArchitectureTest.
 */
public final class UpwardFixture {
  private UpwardFixture() {}

  static Object runs() {
    return TelemetryContract.schema("runs");
  }
}
