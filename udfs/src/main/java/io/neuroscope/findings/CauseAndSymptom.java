package io.neuroscope.findings;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A problem explained by a cause in the same run is a {@code symptom} of it, not a separate finding
 * at the same rank. A cause explains a symptom that starts no more than {@code symptomLead} epochs
 * before it. The edges, each with its mechanism:
 *
 * <ul>
 *   <li>exploding_gradients → non_finite (an overflow is where an explosion ends), weight_health
 *       (huge steps move the weights off their scale), weight_update_ratio (huge steps),
 *       dead_neurons (a large step pushes ReLU units into the dead region: Lu et al. 2019),
 *       activation_saturation, gradient_snr, plateau, overfitting and learning_progress (the loss
 *       diverges or stalls);
 *   <li>non_finite → every other problem (NaN spreads to every statistic after it);
 *   <li>dead_neurons → vanishing_gradients, gradient_snr, weight_update_ratio (a dead unit has a
 *       zero gradient, so its weights stop moving), weight_health, plateau, learning_progress;
 *   <li>activation_saturation → vanishing_gradients (a saturated tanh or sigmoid has a derivative
 *       near 0: Glorot &amp; Bengio 2010), gradient_snr, weight_update_ratio, weight_health (the
 *       oversized weights that saturate the units are what its init term flags), overfitting (the
 *       same oversized weights make a sharp, high-capacity function that fits noise — why weight
 *       decay generalises: Krogh &amp; Hertz 1992), plateau, learning_progress;
 *   <li>vanishing_gradients → gradient_snr, weight_update_ratio, plateau, learning_progress;
 *   <li>weight_update_ratio (steps too small) → plateau, learning_progress;
 *   <li>overfitting → learning_progress (its generalisation term is the same val/train gap);
 *   <li>plateau → weight_update_ratio and gradient_snr (on a flat loss surface the gradient, and so
 *       the step, is small and mostly noise), learning_progress (its decay and range terms measure
 *       the same flat loss).
 * </ul>
 *
 * The edges run down {@link #RANK}, so no two findings explain each other; a symptom names its root
 * cause.
 */
final class CauseAndSymptom {
  /** Causes before their consequences. */
  static final List<String> RANK =
      List.of(
          "exploding_gradients",
          Problems.NON_FINITE,
          "dead_neurons",
          "activation_saturation",
          "vanishing_gradients",
          "overfitting",
          "plateau",
          "weight_update_ratio",
          "gradient_snr",
          "weight_health",
          "learning_progress");

  static final Map<String, Set<String>> EXPLAINS =
      Map.of(
          "exploding_gradients",
          Set.of(
              Problems.NON_FINITE,
              "weight_health",
              "weight_update_ratio",
              "dead_neurons",
              "activation_saturation",
              "gradient_snr",
              "plateau",
              "overfitting",
              "learning_progress"),
          Problems.NON_FINITE,
          Set.copyOf(RANK.subList(2, RANK.size())),
          "dead_neurons",
          Set.of(
              "vanishing_gradients",
              "gradient_snr",
              "weight_update_ratio",
              "weight_health",
              "plateau",
              "learning_progress"),
          "activation_saturation",
          Set.of(
              "vanishing_gradients",
              "gradient_snr",
              "weight_update_ratio",
              "weight_health",
              "overfitting",
              "plateau",
              "learning_progress"),
          "vanishing_gradients",
          Set.of("gradient_snr", "weight_update_ratio", "plateau", "learning_progress"),
          "weight_update_ratio",
          Set.of("plateau", "learning_progress"),
          "overfitting",
          Set.of("learning_progress"),
          "plateau",
          Set.of("weight_update_ratio", "gradient_snr", "learning_progress"));

  private CauseAndSymptom() {}

  static int rank(String problem) {
    int i = RANK.indexOf(problem);
    return i < 0 ? RANK.size() : i;
  }

  static boolean explains(RunFinding cause, RunFinding symptom, FindingRules r) {
    return EXPLAINS.getOrDefault(cause.problem(), Set.of()).contains(symptom.problem())
        && symptom.onsetEpoch() >= cause.onsetEpoch() - r.symptomLead();
  }

  /** The findings with their roles: causes first (by onset, then rank), then symptoms. */
  static List<RunFinding> assign(List<RunFinding> findings, FindingRules r) {
    List<RunFinding> byRank = new ArrayList<>(findings);
    byRank.sort(Comparator.comparingInt(f -> rank(f.problem())));
    List<RunFinding> out = new ArrayList<>();
    // walking down the rank, every possible cause of a finding has its role already
    java.util.Map<String, String> rootOf = new java.util.HashMap<>();
    for (RunFinding f : byRank) {
      RunFinding by = null;
      for (RunFinding c : byRank) {
        if (c == f || rank(c.problem()) >= rank(f.problem()) || !explains(c, f, r)) continue;
        if (by == null || c.onsetEpoch() < by.onsetEpoch()) by = c;
      }
      if (by == null) {
        out.add(f);
      } else {
        String root = rootOf.getOrDefault(by.problem(), by.problem());
        rootOf.put(f.problem(), root);
        out.add(f.asSymptomOf(root));
      }
    }
    out.sort(
        Comparator.comparing((RunFinding f) -> f.role() == Role.SYMPTOM)
            .thenComparingInt(RunFinding::onsetEpoch)
            .thenComparingInt(f -> rank(f.problem())));
    return out;
  }
}
