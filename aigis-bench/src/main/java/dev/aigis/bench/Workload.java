package dev.aigis.bench;

import java.nio.charset.StandardCharsets;

/** Request bodies of the load runs: what an OpenAI chat client typically sends. */
final class Workload {

  static final String PATH = "/v1/chat/completions";
  static final String MODEL = "gpt-4o-mini";
  /** Upstream pacing of the streaming run, sent in {@code x-fake-behavior}. */
  static final String STREAM_BEHAVIOR = "{\"ttftMs\":20,\"tps\":1000,\"tokens\":50}";

  /**
   * The fixed answer of the static nginx upstream ({@code ./aigis bench wrk}): a chat.completion
   * with a {@code usage} object, as OpenAI sends it. No {@code '}, {@code $} or {@code #}: it is
   * embedded in nginx's configuration as a single-quoted string.
   */
  static final String CHAT_COMPLETION = """
      {"id":"chatcmpl-bench0001","object":"chat.completion","created":1764000000,"model":"gpt-4o-mini-2024-07-18",\
      "choices":[{"index":0,"message":{"role":"assistant","content":"Order A-20417 is still at the regional \
      depot because of a sorting delay; it should leave within 48 hours. Please wait two more days before \
      asking for a refund.","refusal":null},"logprobs":null,"finish_reason":"stop"}],\
      "usage":{"prompt_tokens":96,"completion_tokens":34,"total_tokens":130,\
      "prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}},\
      "system_fingerprint":"fp_bench"}""";

  private Workload() {}

  /** A ~600-byte non-streaming chat completion request. */
  static byte[] chat() {
    return body(false);
  }

  static byte[] streamingChat() {
    return body(true);
  }

  private static byte[] body(boolean stream) {
    String json = """
        {"model":"%s","messages":[\
        {"role":"system","content":"You are a concise assistant for an e-commerce support team. \
        Answer in at most three sentences, cite the order number when one is given, and never invent \
        tracking data."},\
        {"role":"user","content":"Hi, my order #A-20417 was supposed to arrive on Tuesday but the \
        tracking page still says it is at the regional depot. Can you tell me what is going on and \
        whether I should ask for a refund or wait a few more days? Thanks a lot."}],\
        "temperature":0.2,"max_tokens":256,"top_p":1,"n":1,"presence_penalty":0,"frequency_penalty":0,\
        "user":"support-bot-7"%s}"""
        .formatted(MODEL, stream ? ",\"stream\":true" : "");
    return json.getBytes(StandardCharsets.UTF_8);
  }
}
