package dev.aigis.core.processing;

import dev.aigis.core.usage.TokenUsage;

/** The response as processors see and change it. Owned by one exchange; not thread-safe. */
public final class ProcessedResponse {

  private int status;
  private final MutableHeaders headers;
  private TokenUsage usage;

  public ProcessedResponse(int status, MutableHeaders headers) {
    this.status = status;
    this.headers = headers;
  }

  public int status() {
    return status;
  }

  /** Only effective from {@link Processor#onResponseHeaders}, before the head is written. */
  public void setStatus(int status) {
    this.status = status;
  }

  public MutableHeaders headers() {
    return headers;
  }

  /** Token usage as known so far (complete at end of stream), or null. */
  public TokenUsage usage() {
    return usage;
  }

  public void setUsage(TokenUsage usage) {
    this.usage = usage;
  }
}
