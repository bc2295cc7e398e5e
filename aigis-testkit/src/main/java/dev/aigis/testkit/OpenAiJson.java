package dev.aigis.testkit;

import static dev.aigis.testkit.Script.utf8;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OpenAI wire JSON, written by hand from precomputed fragments: the fake sits in benchmarks, so
 * a response costs a few array copies rather than an object mapper. Field order follows what
 * api.openai.com sends.
 */
final class OpenAiJson {

  static final String FINGERPRINT = "fp_aigis_fake";

  private static final byte[] CHAT_HEAD = utf8("{\"id\":\"chatcmpl-fake");
  private static final byte[] CHAT_OBJECT = utf8("\",\"object\":\"chat.completion\",\"created\":");
  private static final byte[] CHAT_CHUNK_HEAD = utf8("data: {\"id\":\"chatcmpl-fake");
  private static final byte[] CHAT_CHUNK_OBJECT =
      utf8("\",\"object\":\"chat.completion.chunk\",\"created\":");
  private static final byte[] TEXT_HEAD = utf8("{\"id\":\"cmpl-fake");
  private static final byte[] TEXT_CHUNK_HEAD = utf8("data: {\"id\":\"cmpl-fake");
  private static final byte[] TEXT_OBJECT = utf8("\",\"object\":\"text_completion\",\"created\":");
  private static final byte[] MODEL = utf8(",\"model\":\"");
  private static final byte[] CHUNK_CHOICES = utf8(
      "\",\"service_tier\":\"default\",\"system_fingerprint\":\"" + FINGERPRINT
          + "\",\"choices\":[");
  private static final byte[] TEXT_CHUNK_CHOICES =
      utf8("\",\"system_fingerprint\":\"" + FINGERPRINT + "\",\"choices\":[");

  private static final byte[] CHAT_MESSAGE =
      utf8("\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"");
  private static final byte[] CHAT_MESSAGE_END = utf8(
      "\",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
          + "\"usage\":");
  private static final byte[] CHAT_TAIL = utf8(
      ",\"service_tier\":\"default\",\"system_fingerprint\":\"" + FINGERPRINT + "\"}");
  private static final byte[] CHAT_TOOL_MESSAGE = utf8("\",\"choices\":[{\"index\":0,\"message\":"
      + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":");
  private static final byte[] CHAT_TOOL_MESSAGE_END = utf8(
      ",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}],"
          + "\"usage\":");
  private static final byte[] TEXT_CHOICE = utf8("\",\"choices\":[{\"text\":\"");
  private static final byte[] TEXT_CHOICE_END =
      utf8("\",\"index\":0,\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":");
  private static final byte[] TEXT_TAIL =
      utf8(",\"system_fingerprint\":\"" + FINGERPRINT + "\"}");

  static final byte[] CHAT_ROLE_CHOICE = utf8(
      "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
          + "\"logprobs\":null,\"finish_reason\":null}");
  static final byte[] CHAT_TOOL_ROLE_CHOICE = utf8(
      "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"refusal\":null},"
          + "\"logprobs\":null,\"finish_reason\":null}");
  static final byte[] CHAT_TOOL_CALLS_CHOICE =
      utf8("{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}");
  static final byte[] CHAT_DELTA_START = utf8("{\"index\":0,\"delta\":{\"content\":\"");
  static final byte[] CHAT_DELTA_END = utf8("\"},\"logprobs\":null,\"finish_reason\":null}");
  static final byte[] CHAT_STOP_CHOICE =
      utf8("{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}");
  static final byte[] TEXT_DELTA_START = utf8("{\"text\":\"");
  static final byte[] TEXT_DELTA_END =
      utf8("\",\"index\":0,\"logprobs\":null,\"finish_reason\":null}");
  static final byte[] TEXT_STOP_CHOICE =
      utf8("{\"text\":\"\",\"index\":0,\"logprobs\":null,\"finish_reason\":\"stop\"}");
  static final byte[] CHUNK_END = utf8("]}\n\n");
  static final byte[] CHUNK_END_NULL_USAGE = utf8("],\"usage\":null}\n\n");
  static final byte[] USAGE_CHUNK_USAGE = utf8("],\"usage\":");
  static final byte[] EVENT_END = utf8("}\n\n");
  static final byte[] DONE = utf8("data: [DONE]\n\n");

  static final byte[] MODELS = utf8("""
      {"object":"list","data":[\
      {"id":"gpt-4o-mini","object":"model","created":1721172741,"owned_by":"system"},\
      {"id":"gpt-4o","object":"model","created":1715367049,"owned_by":"system"},\
      {"id":"gpt-4.1-nano","object":"model","created":1744321707,"owned_by":"system"},\
      {"id":"gpt-3.5-turbo-instruct","object":"model","created":1692901427,"owned_by":"system"},\
      {"id":"text-embedding-3-small","object":"model","created":1705948997,"owned_by":"system"}\
      ]}""");

  private static final int DEFAULT_DIMENSIONS = 8;
  private static final int MODEL_CACHE_LIMIT = 1024;
  private static final Map<String, byte[]> ESCAPED_MODELS = new ConcurrentHashMap<>();

  private OpenAiJson() {}

  /** The model name JSON-escaped; cached because a run uses a handful of names. */
  static byte[] model(String model) {
    byte[] cached = ESCAPED_MODELS.get(model);
    if (cached == null) {
      cached = JsonStringEncoder.getInstance().quoteAsUTF8(model);
      if (ESCAPED_MODELS.size() < MODEL_CACHE_LIMIT) {
        ESCAPED_MODELS.put(model, cached);
      }
    }
    return cached;
  }

  static Buffer chatCompletion(long id, long created, byte[] model, Script s, byte[] usage) {
    if (s.toolCallsJson != null) {
      return head(CHAT_HEAD, CHAT_OBJECT, id, created, model, s.toolCallsJson.length + 400)
          .appendBytes(CHAT_TOOL_MESSAGE).appendBytes(s.toolCallsJson)
          .appendBytes(CHAT_TOOL_MESSAGE_END).appendBytes(usage).appendBytes(CHAT_TAIL);
    }
    return head(CHAT_HEAD, CHAT_OBJECT, id, created, model, s.reply.length + 400)
        .appendBytes(CHAT_MESSAGE).appendBytes(s.reply).appendBytes(CHAT_MESSAGE_END)
        .appendBytes(usage).appendBytes(CHAT_TAIL);
  }

  static Buffer textCompletion(long id, long created, byte[] model, Script s, byte[] usage) {
    return head(TEXT_HEAD, TEXT_OBJECT, id, created, model, s.reply.length + 300)
        .appendBytes(TEXT_CHOICE).appendBytes(s.reply).appendBytes(TEXT_CHOICE_END)
        .appendBytes(usage).appendBytes(TEXT_TAIL);
  }

  /** {@code data: {...,"choices":[} shared by every chunk of one chat stream. */
  static byte[] chatChunkPrefix(long id, long created, byte[] model) {
    return head(CHAT_CHUNK_HEAD, CHAT_CHUNK_OBJECT, id, created, model, 200)
        .appendBytes(CHUNK_CHOICES).getBytes();
  }

  static byte[] textChunkPrefix(long id, long created, byte[] model) {
    return head(TEXT_CHUNK_HEAD, TEXT_OBJECT, id, created, model, 200)
        .appendBytes(TEXT_CHUNK_CHOICES).getBytes();
  }

  private static Buffer head(
      byte[] head, byte[] object, long id, long created, byte[] model, int size) {
    return Buffer.buffer(size + model.length)
        .appendBytes(head).appendString(Long.toString(id))
        .appendBytes(object).appendString(Long.toString(created))
        .appendBytes(MODEL).appendBytes(model);
  }

  static byte[] chatUsage(int prompt, int completion) {
    return utf8("{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion
        + ",\"total_tokens\":" + (prompt + completion)
        + ",\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
        + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}");
  }

  static byte[] textUsage(int prompt, int completion) {
    return utf8("{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion
        + ",\"total_tokens\":" + (prompt + completion) + "}");
  }

  /** Unit-length vectors derived from each input's hash: equal inputs, equal embeddings. */
  static Buffer embeddings(byte[] model, OpenAiRequest r, int promptTokens) {
    int dims = r.dimensions() > 0 ? r.dimensions() : DEFAULT_DIMENSIONS;
    var out = Buffer.buffer(64 + r.inputHashes().length * (40 + dims * 12))
        .appendString("{\"object\":\"list\",\"data\":[");
    float[] v = new float[dims];
    for (int i = 0; i < r.inputHashes().length; i++) {
      vector(r.inputHashes()[i], v);
      out.appendString(i == 0 ? "" : ",")
          .appendString("{\"object\":\"embedding\",\"index\":").appendString(Integer.toString(i))
          .appendString(",\"embedding\":");
      if (r.base64()) {
        var bytes = ByteBuffer.allocate(dims * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
          bytes.putFloat(f);
        }
        out.appendString("\"").appendString(Base64.getEncoder().encodeToString(bytes.array()))
            .appendString("\"}");
      } else {
        out.appendString("[");
        for (int j = 0; j < dims; j++) {
          out.appendString(j == 0 ? "" : ",").appendString(Float.toString(v[j]));
        }
        out.appendString("]}");
      }
    }
    return out.appendString("],\"model\":\"").appendBytes(model)
        .appendString("\",\"usage\":{\"prompt_tokens\":" + promptTokens
            + ",\"total_tokens\":" + promptTokens + "}}");
  }

  private static void vector(int seed, float[] v) {
    long x = seed * 0x9E3779B97F4A7C15L + 1;
    double norm = 0;
    for (int j = 0; j < v.length; j++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      v[j] = (float) (((x >>> 11) * 0x1.0p-53) * 2 - 1);
      norm += v[j] * v[j];
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int j = 0; j < v.length; j++) {
      v[j] *= scale;
    }
  }

  static Buffer echo(String method, String uri) {
    var encoder = JsonStringEncoder.getInstance();
    return Buffer.buffer(40 + uri.length())
        .appendString("{\"method\":\"").appendBytes(encoder.quoteAsUTF8(method))
        .appendString("\",\"path\":\"").appendBytes(encoder.quoteAsUTF8(uri))
        .appendString("\"}");
  }

  static Buffer error(String message, String type, String param, String code) {
    var encoder = JsonStringEncoder.getInstance();
    return Buffer.buffer(128 + message.length())
        .appendString("{\"error\":{\"message\":\"").appendBytes(encoder.quoteAsUTF8(message))
        .appendString("\",\"type\":\"").appendString(type)
        .appendString("\",\"param\":").appendString(param == null ? "null" : '"' + param + '"')
        .appendString(",\"code\":").appendString(code == null ? "null" : '"' + code + '"')
        .appendString("}}");
  }

  static Buffer error(InvalidRequest e) {
    return error(e.getMessage(), "invalid_request_error", e.param, e.code);
  }

  /** What OpenAI sends with this status, for a behaviour that scripts a status but no body. */
  static String errorForStatus(int status) {
    Buffer body = switch (status) {
      case 400 -> error("Scripted bad request.", "invalid_request_error", null, null);
      case 401 -> error("Incorrect API key provided: sk-fake. You can find your API key at"
          + " https://platform.openai.com/account/api-keys.", "invalid_request_error", null,
          "invalid_api_key");
      case 403 -> error("You are not allowed to sample from this model", "invalid_request_error",
          null, null);
      case 404 -> error("The model does not exist or you do not have access to it.",
          "invalid_request_error", null, "model_not_found");
      case 429 -> error("Rate limit reached for requests. Please try again later.", "requests",
          null, "rate_limit_exceeded");
      case 500 -> error("The server had an error while processing your request. Sorry about"
          + " that!", "server_error", null, null);
      case 503 -> error("The engine is currently overloaded, please try again later.",
          "server_error", null, null);
      default -> error("Scripted status " + status + ".",
          status >= 500 ? "server_error" : "invalid_request_error", null, null);
    };
    return body.toString();
  }
}
