package io.neuroscope.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one ranking of statuses that every "worst status" in the jobs, views and report uses. */
class StatusTest {
  @Test
  void worstOrderIsUnknownHealthyWarningCritical() {
    List<Status> ordered =
        Arrays.stream(Status.values()).sorted(Comparator.comparingInt(Status::severity)).toList();
    assertEquals(List.of(Status.UNKNOWN, Status.HEALTHY, Status.WARNING, Status.CRITICAL), ordered);
    assertEquals(List.of(0, 1, 2, 3), ordered.stream().map(Status::severity).toList());
  }

  @Test
  void severityRoundTrips() {
    for (Status s : Status.values()) assertEquals(s, Status.ofSeverity(s.severity()));
    assertThrows(IllegalArgumentException.class, () -> Status.ofSeverity(4));
  }

  @Test
  void onlyWarningAndCriticalAreProblems() {
    assertTrue(Status.WARNING.isProblem());
    assertTrue(Status.CRITICAL.isProblem());
    assertFalse(Status.HEALTHY.isProblem());
    assertFalse(Status.UNKNOWN.isProblem());
  }

  @Test
  void theSqlRanksAsTheEnum() {
    assertEquals(
        "CASE s WHEN 'HEALTHY' THEN 1 WHEN 'WARNING' THEN 2 WHEN 'CRITICAL' THEN 3 ELSE 0 END",
        Status.severitySql("s"));
    assertEquals(
        "CASE x WHEN 1 THEN 'HEALTHY' WHEN 2 THEN 'WARNING' WHEN 3 THEN 'CRITICAL' ELSE 'UNKNOWN' END",
        Status.statusSql("x"));
  }
}
