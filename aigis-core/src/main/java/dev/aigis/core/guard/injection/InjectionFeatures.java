package dev.aigis.core.guard.injection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import java.util.Set;

/**
 * The classifier's input: the sentence embedding of one bounded window of the text, plus cheap
 * features of the whole text that carry what the window misses in long prompts and documents.
 *
 * <p>The embedding is the expensive part (its cost grows with the tokens read), so only
 * {@link #windowChars} characters are embedded; the lexical part reads everything in linear time:
 * hashed word unigrams and bigrams, hashed character trigrams (robust to odd spellings and
 * adversarial suffixes), each block as log-scaled counts normalised to unit length, and a few dense
 * shape cues (length, share of non-letters, second-person and instruction words, code and quote
 * markers). The input is the normaliser's folded text (lower case, compatibility forms, no
 * invisible characters), so the same word always hashes to the same bucket.
 *
 * @param window which part of a long text is embedded
 * @param windowChars characters embedded (the embedder also stops at its token limit)
 * @param wordBuckets hashed word unigram/bigram buckets
 * @param charBuckets hashed character trigram buckets
 */
public record InjectionFeatures(Window window, int windowChars, int wordBuckets, int charBuckets) {

  /** Bumped whenever the features of a text change, so a model never runs on features it was not trained on. */
  public static final String VERSION = "injection-features-v1";

  public static final InjectionFeatures DEFAULT = new InjectionFeatures(Window.CUE, 256, 1024, 512);

  /** Which part of a text longer than the window is embedded. */
  public enum Window {
    HEAD,
    TAIL,
    /** The window holding the most instruction and persona cue words; the head when there are none. */
    CUE
  }

  private static final int DENSE = 9;

  /** Words that address the model or tell it what to do; counted, not matched as rules. */
  private static final Set<String> CUES = Set.of(
      "ignore", "ignoring", "disregard", "forget", "override", "bypass", "instead", "pretend",
      "act", "acting", "roleplay", "simulate", "persona", "character", "instructions", "instruction",
      "rules", "prompt", "system", "developer", "mode", "jailbreak", "jailbroken", "unfiltered",
      "uncensored", "restrictions", "restricted", "filter", "filters", "policy", "policies",
      "guidelines", "respond", "reply", "answer", "output", "print", "say", "must", "always",
      "never", "now", "previous", "above", "reveal", "confidential", "secret", "password");
  private static final Set<String> SECOND_PERSON = Set.of("you", "your", "you're", "yours", "yourself", "u");

  public InjectionFeatures {
    if (windowChars < 16 || wordBuckets < 16 || charBuckets < 16) {
      throw new IllegalArgumentException("window and bucket counts must be at least 16");
    }
  }

  /** Length of the vector {@link #assemble} returns for an embedding of {@code dimension}. */
  public int size(int dimension) {
    return dimension + wordBuckets + charBuckets + DENSE;
  }

  /** The part of {@code folded} that is embedded: all of it when it fits the window. */
  public String window(String folded) {
    if (folded.length() <= windowChars) {
      return folded;
    }
    return switch (window) {
      case HEAD -> cut(folded, 0);
      case TAIL -> cut(folded, folded.length() - windowChars);
      case CUE -> cut(folded, cueStart(folded));
    };
  }

  private String cut(String text, int start) {
    int end = Math.min(text.length(), start + windowChars);
    // Never split a surrogate pair: the tokenizer would see a broken character.
    if (start > 0 && Character.isLowSurrogate(text.charAt(start))) {
      start++;
    }
    if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(start, end);
  }

  /**
   * Start of the window with the most cue words, a quarter window before the first cue of that
   * run so the instruction's lead-in is read. Words are scanned once; a deque of cue offsets gives
   * the count of each window ending at a cue.
   */
  private int cueStart(String text) {
    int[] cueOffsets = new int[16];
    int cues = 0;
    int bestCount = 0;
    int bestStart = 0;
    int tail = 0;
    int i = 0;
    int n = text.length();
    while (i < n) {
      while (i < n && !Character.isLetter(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && (Character.isLetter(text.charAt(i)) || text.charAt(i) == '\'')) {
        i++;
      }
      if (i > start && CUES.contains(text.substring(start, i))) {
        if (cues == cueOffsets.length) {
          cueOffsets = java.util.Arrays.copyOf(cueOffsets, cues * 2);
        }
        cueOffsets[cues++] = start;
        int span = windowChars * 3 / 4;
        while (cueOffsets[tail] < start - span) {
          tail++;
        }
        int count = cues - tail;
        if (count > bestCount) {
          bestCount = count;
          bestStart = Math.max(0, cueOffsets[tail] - windowChars / 4);
        }
      }
    }
    return Math.min(bestStart, n - windowChars);
  }

  /** The lexical and dense features of the whole folded text (everything but the embedding). */
  public float[] lexical(String folded) {
    float[] words = new float[wordBuckets];
    float[] chars = new float[charBuckets];
    int wordCount = 0;
    int cueCount = 0;
    int secondPerson = 0;
    int previousHash = 0;
    boolean hasPrevious = false;
    int n = folded.length();
    int i = 0;
    while (i < n) {
      while (i < n && !Character.isLetterOrDigit(folded.charAt(i))) {
        hasPrevious &= !isSentenceEnd(folded.charAt(i));
        i++;
      }
      int start = i;
      while (i < n && (Character.isLetterOrDigit(folded.charAt(i)) || folded.charAt(i) == '\'')) {
        i++;
      }
      if (i == start) {
        continue;
      }
      String word = folded.substring(start, i);
      wordCount++;
      cueCount += CUES.contains(word) ? 1 : 0;
      secondPerson += SECOND_PERSON.contains(word) ? 1 : 0;
      int h = hash(word, 0x9747b28c);
      words[Math.floorMod(h, wordBuckets)]++;
      if (hasPrevious) {
        words[Math.floorMod(previousHash * 31 + h, wordBuckets)]++;
      }
      previousHash = h;
      hasPrevious = true;
    }
    int letters = 0;
    int digits = 0;
    int spaces = 0;
    int markers = 0;
    int lines = 1;
    for (int k = 0; k < n; k++) {
      char c = folded.charAt(k);
      if (Character.isLetter(c)) {
        letters++;
      } else if (Character.isDigit(c)) {
        digits++;
      } else if (Character.isWhitespace(c)) {
        spaces++;
        lines += c == '\n' ? 1 : 0;
      } else if (c == '`' || c == '"' || c == '{' || c == '}' || c == '<' || c == '>' || c == '[' || c == ']') {
        markers++;
      }
      if (k + 3 <= n) {
        int h = (c * 31 + folded.charAt(k + 1)) * 31 + folded.charAt(k + 2);
        chars[Math.floorMod(mix(h), charBuckets)]++;
      }
    }
    float[] out = new float[wordBuckets + charBuckets + DENSE];
    logUnit(words, out, 0);
    logUnit(chars, out, wordBuckets);
    int d = wordBuckets + charBuckets;
    double length = Math.max(1, n);
    double wordsD = Math.max(1, wordCount);
    out[d] = (float) (Math.log1p(n) / 10);
    out[d + 1] = (float) ((n - letters - spaces) / length);
    out[d + 2] = (float) (digits / length);
    out[d + 3] = (float) (cueCount / wordsD);
    out[d + 4] = (float) (Math.log1p(cueCount) / 5);
    out[d + 5] = (float) (secondPerson / wordsD);
    out[d + 6] = (float) (Math.log1p(secondPerson) / 5);
    out[d + 7] = (float) (Math.log1p(markers) / 5);
    out[d + 8] = (float) (Math.log1p(lines) / 5);
    return out;
  }

  /** The full feature vector: the window's embedding followed by {@link #lexical}. */
  public float[] assemble(float[] embedding, float[] lexical) {
    float[] x = new float[embedding.length + lexical.length];
    System.arraycopy(embedding, 0, x, 0, embedding.length);
    System.arraycopy(lexical, 0, x, embedding.length, lexical.length);
    return x;
  }

  private static boolean isSentenceEnd(char c) {
    return c == '.' || c == '!' || c == '?' || c == '\n';
  }

  private static void logUnit(float[] counts, float[] out, int offset) {
    double norm = 0;
    for (float c : counts) {
      double v = Math.log1p(c);
      norm += v * v;
    }
    if (norm == 0) {
      return;
    }
    double scale = 1 / Math.sqrt(norm);
    for (int k = 0; k < counts.length; k++) {
      out[offset + k] = (float) (Math.log1p(counts[k]) * scale);
    }
  }

  /** FNV-1a over UTF-16 units, then a finaliser: stable across JVMs, unlike identity hashes. */
  static int hash(String s, int seed) {
    int h = 0x811c9dc5 ^ seed;
    for (int k = 0; k < s.length(); k++) {
      h ^= s.charAt(k);
      h *= 0x01000193;
    }
    return mix(h);
  }

  private static int mix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("version", VERSION);
    node.put("window", window.name());
    node.put("windowChars", windowChars);
    node.put("wordBuckets", wordBuckets);
    node.put("charBuckets", charBuckets);
    return node;
  }

  /** Reads {@link #toJson}; refuses features of another version. */
  public static InjectionFeatures fromJson(JsonNode node) {
    String version = node.path("version").asText();
    if (!VERSION.equals(version)) {
      throw new IllegalArgumentException("model features are " + version + ", this build computes " + VERSION);
    }
    return new InjectionFeatures(Window.valueOf(node.path("window").asText()), node.path("windowChars").asInt(),
        node.path("wordBuckets").asInt(), node.path("charBuckets").asInt());
  }
}
