package io.neuroscope.findings;

/**
 * A history-based diagnostic is not judged before it has the history it needs: the spec scores
 * plateau HEALTHY below 15 losses, overfitting has its curve term only from 10 validation losses,
 * learning_progress its decay term only from 10 losses; before that their scores lack a component
 * and read low (learning_progress WARNING at epochs 5–9 on every demo run, measured).
 */
final class WarmUp {
  private WarmUp() {}

  /** How many epochs of history the diagnostic needs before it is judged (1: from the first). */
  static int history(String diagnostic, FindingRules r) {
    return switch (diagnostic) {
      case "plateau" -> r.warmupPlateau();
      case "overfitting" -> r.warmupOverfitting();
      case "learning_progress" -> r.warmupLearningProgress();
      default -> 1;
    };
  }

  /** Whether the epoch at this position of the run (1 = its first epoch) is judged. */
  static boolean judged(String diagnostic, int position, FindingRules r) {
    return position >= history(diagnostic, r);
  }
}
