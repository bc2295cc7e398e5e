package dev.aigis.bench;

import java.nio.charset.StandardCharsets;

/** Request bodies of the load runs: what an OpenAI chat client typically sends. */
final class Workload {

  static final String PATH = "/v1/chat/completions";
  static final String MODEL = "gpt-4o-mini";
  /** Upstream pacing of the streaming run, sent in {@code x-fake-behavior}. */
  static final String STREAM_BEHAVIOR = "{\"ttftMs\":20,\"tps\":1000,\"tokens\":50}";

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
