package io.neuroscope.findings;

import io.neuroscope.diagnostics.Settings;
import java.io.Serializable;

/**
 * The {@code findings.*} settings (conf/neuroscope.properties says why each default holds).
 *
 * @param minEpochs a problem must hold in at least this many judged epochs ({@link Persistence})
 * @param minShare ... and in at least this share of them, or through the run's last {@code
 *     throughEnd} judged epochs
 * @param onsetStreak the onset is the first epoch of the first run of this many flagged epochs
 * @param warmupPlateau epochs of history before plateau is judged ({@link WarmUp})
 * @param warmupOverfitting ... overfitting
 * @param warmupLearningProgress ... learning_progress
 * @param snrWarningBelow gradient_snr flags below this ({@link Calibration})
 * @param snrCriticalBelow ... and is critical below this
 * @param updateLow weight_update_ratio flags below this
 * @param updateHigh ... or above this
 * @param overfittingMinGap overfitting flags only where val exceeds train by this share
 * @param overfittingMinRise ... and val is this share above its best so far
 * @param deadAbove dead_neurons flags only above this percent of hidden units
 * @param saturationOwnAbove activation_saturation flags only where a layer's extreme and
 *     gradient_dead terms reach this
 * @param overfittingMinTrainDrop ... and train this share below its value then
 * @param explodingMinUpdate exploding_gradients flags only where |ΔW|/|W| is at least this (or the
 *     norm is non-finite)
 * @param convergedLossDrop plateau and learning_progress do not flag once the train loss has fallen
 *     by this share of its first value
 * @param cohortMinRuns an experiment with this many runs judges its soft problems as a cohort
 * @param cohortZ ... a run's soft problem stands only this many robust deviations from the cohort
 * @param symptomLead a symptom may start this many epochs before its cause ({@link
 *     CauseAndSymptom})
 */
public record FindingRules(
    int minEpochs,
    double minShare,
    int throughEnd,
    int onsetStreak,
    int warmupPlateau,
    int warmupOverfitting,
    int warmupLearningProgress,
    double snrWarningBelow,
    double snrCriticalBelow,
    double updateLow,
    double updateHigh,
    double overfittingMinGap,
    double overfittingMinRise,
    double overfittingMinTrainDrop,
    double deadAbove,
    double saturationOwnAbove,
    double explodingMinUpdate,
    double convergedLossDrop,
    int cohortMinRuns,
    double cohortZ,
    int symptomLead)
    implements Serializable {

  public static FindingRules of(Settings s) {
    return new FindingRules(
        s.integer("findings.persistence.min_epochs"),
        s.get("findings.persistence.min_share"),
        s.integer("findings.persistence.through_end"),
        s.integer("findings.persistence.onset_streak"),
        s.integer("findings.warmup.plateau"),
        s.integer("findings.warmup.overfitting"),
        s.integer("findings.warmup.learning_progress"),
        s.get("findings.gradient_snr.warning_below"),
        s.get("findings.gradient_snr.critical_below"),
        s.get("findings.weight_update_ratio.low"),
        s.get("findings.weight_update_ratio.high"),
        s.get("findings.overfitting.min_gap"),
        s.get("findings.overfitting.min_rise"),
        s.get("findings.overfitting.min_train_drop"),
        s.get("findings.dead_neurons.above"),
        s.get("findings.activation_saturation.own_above"),
        s.get("findings.exploding_gradients.min_update_ratio"),
        s.get("findings.converged.loss_drop"),
        s.integer("findings.cohort.min_runs"),
        s.get("findings.cohort.z"),
        s.integer("findings.symptom.lead"));
  }

  public static FindingRules defaults() {
    return of(Settings.defaults());
  }
}
