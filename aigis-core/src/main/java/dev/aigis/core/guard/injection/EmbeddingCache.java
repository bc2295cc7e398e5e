package dev.aigis.core.guard.injection;

import dev.aigis.core.embedding.Embedder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Training-time memo of embeddings in a file (under {@code target/}, never in the repository),
 * keyed by the SHA-256 of the embedded text, so a rerun with other settings skips the model runs.
 * Appends new vectors as they are computed. Not thread-safe; training runs on one thread.
 */
final class EmbeddingCache implements AutoCloseable {

  private final Embedder embedder;
  private final Map<String, float[]> vectors = new HashMap<>();
  private final DataOutputStream out;
  private int misses;

  /** @param file the cache file; its name should say which embedder and token limit wrote it */
  EmbeddingCache(Embedder embedder, Path file) {
    this.embedder = embedder;
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      if (Files.exists(file)) {
        load(file);
      }
      out = new DataOutputStream(new java.io.BufferedOutputStream(
          Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open embedding cache " + file, e);
    }
  }

  private void load(Path file) throws IOException {
    int dimension = embedder.dimension();
    try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
      byte[] key = new byte[32];
      while (true) {
        try {
          in.readFully(key);
          float[] v = new float[dimension];
          for (int i = 0; i < dimension; i++) {
            v[i] = in.readFloat();
          }
          vectors.put(HexFormat.of().formatHex(key), v);
        } catch (EOFException end) {
          return; // a torn last record from an interrupted run is recomputed
        }
      }
    }
  }

  float[] embed(String text) {
    byte[] key = sha256(text);
    String hex = HexFormat.of().formatHex(key);
    float[] v = vectors.get(hex);
    if (v != null) {
      return v;
    }
    misses++;
    v = embedder.embed(text);
    vectors.put(hex, v);
    try {
      out.write(key);
      for (float f : v) {
        out.writeFloat(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write embedding cache", e);
    }
    return v;
  }

  int misses() {
    return misses;
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close embedding cache", e);
    }
  }
}
