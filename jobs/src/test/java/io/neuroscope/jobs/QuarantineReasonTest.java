package io.neuroscope.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.neuroscope.jobs.telemetry.QuarantineReason;
import org.junit.jupiter.api.Test;

/** Each reason's prose names its code, the specifics whatever they are. */
class QuarantineReasonTest {
  @Test
  void proseNamesItsCode() {
    assertEquals(QuarantineReason.NULL_KEY, QuarantineReason.of("null key: run_id"));
    assertEquals(
        QuarantineReason.LENGTH_MISMATCH,
        QuarantineReason.of("length of values (11) is not rows x cols (3 x 4 = 12)"));
    assertEquals(QuarantineReason.MISSING_CHUNK, QuarantineReason.of("chunk 1 of 3 is missing"));
    assertEquals(QuarantineReason.DUPLICATE_CHUNK, QuarantineReason.of("chunk repeats"));
    assertEquals(
        QuarantineReason.UNKNOWN_KIND,
        QuarantineReason.of(
            "unknown kind 'biases' (expected one of activations, gradients, weights, weight_updates)"));
    // the tensor's other chunks: set aside with it, whatever the first chunk's reason was
    assertEquals(
        QuarantineReason.WITH_ITS_TENSOR,
        QuarantineReason.of(
            "set aside with its tensor: chunk 1 has length of values (3) is not rows x cols (1 x 4 = 4)"));
    assertNull(QuarantineReason.of("something else"));
  }

  @Test
  void everyReasonWithoutSpecificsIsItsOwnProse() {
    for (QuarantineReason r : QuarantineReason.values()) {
      if (!r.pattern().contains("%")) assertEquals(r, QuarantineReason.of(r.prose()));
    }
    assertEquals("null key: epoch", QuarantineReason.NULL_KEY.prose("epoch"));
    assertThrows(IllegalStateException.class, () -> QuarantineReason.NULL_KEY.prose());
  }
}
