package dev.aigis.core.guard.output;

import dev.aigis.core.embedding.Embedder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Window embeddings for training, kept on disk by the SHA-256 of the text so retraining (another
 * seed, new exemplars or cues) does not embed the data set again. A build directory file, never
 * committed. Not thread-safe.
 */
final class EmbeddingCache {

  private final Embedder embedder;
  private final Path file;
  private final Map<String, float[]> vectors = new HashMap<>();
  private int added;

  EmbeddingCache(Embedder embedder, Path directory) {
    this.embedder = embedder;
    this.file = directory.resolve("output-windows-" + embedder.dimension() + "d-" + embedder.maxTokens() + "t.bin");
    load();
  }

  float[] embed(String text) {
    String key = sha256(text);
    float[] v = vectors.get(key);
    if (v == null) {
      v = embedder.embed(text);
      vectors.put(key, v);
      added++;
    }
    return v;
  }

  /** Writes the file when something was added. */
  void save() {
    if (added == 0) {
      return;
    }
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (var out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
        out.writeInt(vectors.size());
        out.writeInt(embedder.dimension());
        for (var e : vectors.entrySet()) {
          out.writeUTF(e.getKey());
          for (float f : e.getValue()) {
            out.writeFloat(f);
          }
        }
      }
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      added = 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the embedding cache " + file, e);
    }
  }

  private void load() {
    if (!Files.isRegularFile(file)) {
      return;
    }
    try (var in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      int n = in.readInt();
      int d = in.readInt();
      if (d != embedder.dimension()) {
        return;
      }
      for (int i = 0; i < n; i++) {
        String key = in.readUTF();
        float[] v = new float[d];
        for (int j = 0; j < d; j++) {
          v[j] = in.readFloat();
        }
        vectors.put(key, v);
      }
    } catch (IOException e) {
      vectors.clear(); // a broken cache is rebuilt, not trusted
    }
  }

  static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
