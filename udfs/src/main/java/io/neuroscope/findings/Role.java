package io.neuroscope.findings;

import java.util.Locale;

/** Whether a finding is a problem in its own right or the consequence of another finding. */
public enum Role {
  CAUSE,
  SYMPTOM;

  /** The lower-case name the tables use. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
