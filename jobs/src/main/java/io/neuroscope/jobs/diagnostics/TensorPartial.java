package io.neuroscope.jobs.diagnostics;

import io.neuroscope.diagnostics.TensorProbe;
import io.neuroscope.diagnostics.TensorStats;
import io.neuroscope.jobs.telemetry.QuarantineReason;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * A tensor's statistics so far, with the shape of every chunk seen, so that once all chunks are
 * merged the tensor can be checked whole (every chunk rows × cols long, one cols, chunks 0 … k−1).
 */
public final class TensorPartial implements Serializable {
  /** A chunk's shape; length −1 where values is null. */
  record Chunk(int chunk, int rows, int cols, long length) implements Serializable {
    boolean lengthMatches() {
      return length == (long) rows * cols;
    }
  }

  /** Null where no diagnostic reads this tensor (activations of the output layer). */
  final TensorStats stats;

  final List<Chunk> chunks = new ArrayList<>(1);

  TensorPartial(TensorProbe probe) {
    this.stats = probe == null ? null : new TensorStats(probe);
  }

  TensorPartial merge(TensorPartial o) {
    if (stats != null && o.stats != null) stats.merge(o.stats);
    chunks.addAll(o.chunks);
    return this;
  }

  /** The reason each chunk is set aside, by chunk number; empty when the tensor is sound. */
  TreeMap<Integer, String> problems() {
    TreeMap<Integer, String> bad = new TreeMap<>();
    // In chunk order, so the reasons do not depend on the order partitions merged in.
    List<Chunk> chunks = new ArrayList<>(this.chunks);
    chunks.sort(java.util.Comparator.comparingInt(Chunk::chunk).thenComparingInt(Chunk::cols));
    for (Chunk c : chunks) {
      if (c.length < 0) bad.put(c.chunk, QuarantineReason.NULL_VALUES.prose());
      else if (!c.lengthMatches()) {
        bad.put(
            c.chunk,
            String.format(
                Locale.ROOT,
                "length of values (%d) is not rows x cols (%d x %d = %d)",
                c.length,
                c.rows,
                c.cols,
                (long) c.rows * c.cols));
      }
    }
    if (!bad.isEmpty()) return bad;
    int cols = chunks.get(0).cols;
    boolean[] seen = new boolean[chunks.size()];
    for (Chunk c : chunks) {
      if (c.cols != cols) {
        bad.put(
            c.chunk,
            "chunks of one tensor disagree on cols ("
                + c.cols
                + " here, "
                + cols
                + " in another chunk)");
      }
      if (c.chunk >= 0 && c.chunk < seen.length) seen[c.chunk] = true;
    }
    if (bad.isEmpty()) {
      for (int i = 0; i < seen.length; i++) {
        if (!seen[i]) {
          for (Chunk c : chunks)
            bad.put(c.chunk, "chunk " + i + " of " + chunks.size() + " is missing");
          break;
        }
      }
    }
    return bad;
  }
}
