package dev.aigis.core.provider.anthropic;

import dev.aigis.model.backend.ApiSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * Which {@code anthropic-beta} flags a backend that serves Claude receives. Anthropic's own API
 * takes every flag; Vertex AI and Bedrock refuse a request that names a beta they do not offer, and
 * Claude Code sends several, so their flags are filtered through an allow-list: the backend's
 * {@code spec.anthropic.betas} (exact flags, or prefixes ending in {@code *}), else the schema's
 * default below. Flags outside the list are dropped, not refused; the count (never the request's
 * content) is logged at debug.
 */
public final class AnthropicBetas {

  private static final System.Logger LOG = System.getLogger(AnthropicBetas.class.getName());

  /**
   * The betas Vertex AI and Bedrock document for Claude, by family (any dated version): interleaved
   * thinking, the 1M context window, token-efficient tools, fine-grained tool streaming, computer
   * use, 128k output and the one-hour cache TTL.
   */
  public static final List<String> CLOUD_DEFAULT = List.of("interleaved-thinking-*", "context-1m-*",
      "token-efficient-tools-*", "fine-grained-tool-streaming-*", "computer-use-*", "output-128k-*",
      "extended-cache-ttl-*");

  private AnthropicBetas() {}

  /** The allow-list in force: the configured one, else all for Anthropic (null) or {@link #CLOUD_DEFAULT}. */
  public static List<String> allowed(List<String> configured, ApiSchema schema) {
    if (configured != null) {
      return configured;
    }
    return schema == ApiSchema.Anthropic ? null : CLOUD_DEFAULT;
  }

  /**
   * The flags of {@code header} (comma-separated, as the SDKs send them) that {@code allowed}
   * permits, in order; all of them when {@code allowed} is null.
   */
  public static List<String> filter(String header, List<String> allowed) {
    if (header == null || header.isBlank()) {
      return List.of();
    }
    List<String> kept = new ArrayList<>();
    int dropped = 0;
    for (String flag : header.split(",")) {
      String trimmed = flag.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      if (allowed == null || permits(allowed, trimmed)) {
        kept.add(trimmed);
      } else {
        dropped++;
      }
    }
    if (dropped > 0) {
      LOG.log(System.Logger.Level.DEBUG, "anthropic-beta: dropped {0} flag(s) the backend does not allow", dropped);
    }
    return kept;
  }

  private static boolean permits(List<String> allowed, String flag) {
    for (String entry : allowed) {
      if (entry.endsWith("*") ? flag.startsWith(entry.substring(0, entry.length() - 1)) : entry.equals(flag)) {
        return true;
      }
    }
    return false;
  }
}
