package dev.aigis.core.guard.classify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * A binary logistic-regression head over dense features: what the trained guards run at request
 * time (one dot product and a sigmoid) and what {@code aigis guard train} fits. Training is
 * full-batch gradient descent with Adam, L2 regularisation and class weights that balance the two
 * labels, deterministic for a given seed. Weights are saved as JSON with the metadata a reader
 * needs to reproduce them (data file, split, seed, threshold).
 */
public final class LogisticRegression {

  private final float[] weights;
  private final float bias;
  private final Map<String, Object> meta;

  public LogisticRegression(float[] weights, float bias, Map<String, Object> meta) {
    this.weights = weights.clone();
    this.bias = bias;
    this.meta = Map.copyOf(meta);
  }

  public int features() {
    return weights.length;
  }

  /** Training metadata (threshold, seed, data, split ...), as saved. */
  public Map<String, Object> meta() {
    return meta;
  }

  /** The probability of label 1. */
  public double probability(float[] x) {
    return sigmoid(logit(x));
  }

  public double logit(float[] x) {
    if (x.length != weights.length) {
      throw new IllegalArgumentException("expected " + weights.length + " features, got " + x.length);
    }
    double z = bias;
    for (int i = 0; i < x.length; i++) {
      z += weights[i] * x[i];
    }
    return z;
  }

  static double sigmoid(double z) {
    return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  }

  /** Training settings; {@link #DEFAULTS} suit a few thousand rows of a few hundred features. */
  public record Settings(int epochs, double learningRate, double l2, long seed) {
    public static final Settings DEFAULTS = new Settings(400, 0.05, 1e-3, 7);
  }

  /**
   * Fits a model. {@code x[i]} are the rows' features, {@code y[i]} their labels (0 or 1).
   *
   * @throws IllegalArgumentException when rows differ in length or a label is not 0/1, or one
   *     label is missing
   */
  public static LogisticRegression train(float[][] x, int[] y, Settings settings, Map<String, Object> meta) {
    int n = x.length;
    int d = n == 0 ? 0 : x[0].length;
    long positives = Arrays.stream(y).filter(v -> v == 1).count();
    if (n == 0 || positives == 0 || positives == n) {
      throw new IllegalArgumentException("training needs rows of both labels");
    }
    double wPos = n / (2.0 * positives);
    double wNeg = n / (2.0 * (n - positives));
    double[] w = new double[d];
    double b = 0;
    double[] m = new double[d + 1];
    double[] v = new double[d + 1];
    double beta1 = 0.9;
    double beta2 = 0.999;
    // A small random start breaks no symmetry in a convex problem, but keeps runs comparable
    // when the settings change only the seed.
    Random random = new Random(settings.seed());
    for (int j = 0; j < d; j++) {
      w[j] = random.nextGaussian() * 1e-3;
    }
    double[] grad = new double[d + 1];
    for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
      Arrays.fill(grad, 0);
      double total = 0;
      for (int i = 0; i < n; i++) {
        float[] row = x[i];
        if (row.length != d) {
          throw new IllegalArgumentException("row " + i + " has " + row.length + " features, expected " + d);
        }
        if (y[i] != 0 && y[i] != 1) {
          throw new IllegalArgumentException("row " + i + " has label " + y[i]);
        }
        double z = b;
        for (int j = 0; j < d; j++) {
          z += w[j] * row[j];
        }
        double weight = y[i] == 1 ? wPos : wNeg;
        double err = (sigmoid(z) - y[i]) * weight;
        total += weight;
        for (int j = 0; j < d; j++) {
          grad[j] += err * row[j];
        }
        grad[d] += err;
      }
      for (int j = 0; j <= d; j++) {
        double g = grad[j] / total + (j < d ? settings.l2() * w[j] : 0);
        m[j] = beta1 * m[j] + (1 - beta1) * g;
        v[j] = beta2 * v[j] + (1 - beta2) * g * g;
        double mHat = m[j] / (1 - Math.pow(beta1, epoch));
        double vHat = v[j] / (1 - Math.pow(beta2, epoch));
        double step = settings.learningRate() * mHat / (Math.sqrt(vHat) + 1e-8);
        if (j < d) {
          w[j] -= step;
        } else {
          b -= step;
        }
      }
    }
    float[] weights = new float[d];
    for (int j = 0; j < d; j++) {
      weights[j] = (float) w[j];
    }
    return new LogisticRegression(weights, (float) b, meta);
  }

  /** The model as JSON: {@code {"bias":..,"weights":[..],"meta":{..}}}. */
  public ObjectNode toJson() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("bias", bias);
    var array = root.putArray("weights");
    for (float w : weights) {
      array.add(w);
    }
    root.set("meta", Json.MAPPER.valueToTree(meta));
    return root;
  }

  @SuppressWarnings("unchecked")
  public static LogisticRegression fromJson(JsonNode root) {
    JsonNode array = root.path("weights");
    float[] weights = new float[array.size()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (float) array.get(i).asDouble();
    }
    Map<String, Object> meta = root.has("meta") ? Json.MAPPER.convertValue(root.get("meta"), Map.class) : Map.of();
    return new LogisticRegression(weights, (float) root.path("bias").asDouble(), meta);
  }

  /** Loads a model shipped as a classpath resource. */
  public static LogisticRegression fromResource(String name) {
    try (InputStream in = LogisticRegression.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("model resource " + name + " is missing");
      }
      return fromJson(Json.MAPPER.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model resource " + name, e);
    }
  }
}
