package io.neuroscope.sample.training;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An update rule. The rule itself is an immutable value (its hyperparameters); the per-parameter
 * memory (velocity, moments) lives in a {@link State} that the trainer creates once per parameter
 * tensor.
 */
public sealed interface Optimizer permits Optimizer.Sgd, Optimizer.Momentum, Optimizer.Adam {

  double learningRate();

  /** The name used in telemetry {@code params}: {@code sgd}, {@code momentum}, {@code adam}. */
  String id();

  /** The hyperparameters, as telemetry {@code params} (learning_rate and the rule's own). */
  Map<String, String> params();

  /** Fresh memory for one parameter tensor of {@code size} elements. */
  State newState(int size);

  /** The memory of one parameter tensor. */
  interface State {
    /**
     * One step: writes the update ΔW into {@code delta} (same length as {@code param}) and applies
     * it, {@code param += delta}.
     */
    void step(double[] param, double[] grad, double[] delta);
  }

  static Sgd sgd(double learningRate) {
    return new Sgd(learningRate);
  }

  static Momentum momentum(double learningRate) {
    return new Momentum(learningRate, 0.9);
  }

  static Adam adam(double learningRate) {
    return new Adam(learningRate, 0.9, 0.999, 1e-8);
  }

  /** Plain gradient descent: ΔW = −lr·g. */
  record Sgd(double learningRate) implements Optimizer {
    public Sgd {
      positive("learning rate", learningRate);
    }

    @Override
    public String id() {
      return "sgd";
    }

    @Override
    public Map<String, String> params() {
      return Map.of("learning_rate", Double.toString(learningRate));
    }

    @Override
    public State newState(int size) {
      double lr = learningRate;
      return (param, grad, delta) -> {
        for (int i = 0; i < param.length; i++) {
          double d = -lr * grad[i];
          delta[i] = d;
          param[i] += d;
        }
      };
    }
  }

  /** Classical (heavy-ball) momentum: v = μ·v − lr·g; ΔW = v. */
  record Momentum(double learningRate, double momentum) implements Optimizer {
    public Momentum {
      positive("learning rate", learningRate);
      if (!(momentum >= 0 && momentum < 1)) {
        throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
      }
    }

    @Override
    public String id() {
      return "momentum";
    }

    @Override
    public Map<String, String> params() {
      Map<String, String> p = new LinkedHashMap<>();
      p.put("learning_rate", Double.toString(learningRate));
      p.put("momentum", Double.toString(momentum));
      return p;
    }

    @Override
    public State newState(int size) {
      double lr = learningRate;
      double mu = momentum;
      double[] v = new double[size];
      return (param, grad, delta) -> {
        for (int i = 0; i < param.length; i++) {
          double d = mu * v[i] - lr * grad[i];
          v[i] = d;
          delta[i] = d;
          param[i] += d;
        }
      };
    }
  }

  /** Adam (Kingma and Ba), with bias-corrected moments: ΔW = −lr · m̂ / (sqrt(v̂) + ε). */
  record Adam(double learningRate, double beta1, double beta2, double epsilon)
      implements Optimizer {
    public Adam {
      positive("learning rate", learningRate);
      positive("epsilon", epsilon);
      if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
        throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
      }
    }

    @Override
    public String id() {
      return "adam";
    }

    @Override
    public Map<String, String> params() {
      Map<String, String> p = new LinkedHashMap<>();
      p.put("learning_rate", Double.toString(learningRate));
      p.put("beta1", Double.toString(beta1));
      p.put("beta2", Double.toString(beta2));
      p.put("epsilon", Double.toString(epsilon));
      return p;
    }

    @Override
    public State newState(int size) {
      return new AdamState(this, size);
    }

    private static final class AdamState implements State {
      private final Adam rule;
      private final double[] m;
      private final double[] v;
      private double beta1Power = 1;
      private double beta2Power = 1;

      AdamState(Adam rule, int size) {
        this.rule = rule;
        this.m = new double[size];
        this.v = new double[size];
      }

      @Override
      public void step(double[] param, double[] grad, double[] delta) {
        double b1 = rule.beta1;
        double b2 = rule.beta2;
        beta1Power *= b1;
        beta2Power *= b2;
        double c1 = 1 - beta1Power;
        double c2 = 1 - beta2Power;
        double lr = rule.learningRate;
        double eps = rule.epsilon;
        for (int i = 0; i < param.length; i++) {
          double g = grad[i];
          m[i] = b1 * m[i] + (1 - b1) * g;
          v[i] = b2 * v[i] + (1 - b2) * g * g;
          double d = -lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
          delta[i] = d;
          param[i] += d;
        }
      }
    }
  }

  private static void positive(String what, double x) {
    if (!(x > 0 && Double.isFinite(x))) {
      throw new IllegalArgumentException(what + " must be positive and finite, got " + x);
    }
  }
}
