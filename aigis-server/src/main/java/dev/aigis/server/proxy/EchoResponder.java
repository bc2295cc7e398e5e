package dev.aigis.server.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.echo.EchoModel;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.InboundCodec;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.InboundApi;
import dev.aigis.core.provider.InboundCodecs;
import dev.aigis.core.provider.gemini.inbound.GeminiTokenCount;
import dev.aigis.core.provider.anthropic.inbound.AnthropicTokenCount;
import dev.aigis.core.provider.openai.responses.ResponsesInboundCodec;
import dev.aigis.core.provider.openai.responses.ResponsesTokenCount;
import dev.aigis.core.sse.SseDecoder;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves the built-in {@code aigis-echo} model in-process, plain or streamed, in the client's
 * format. Its answer leaves through the same response head and writer as an upstream's, so
 * response processors see it the same way.
 */
final class EchoResponder {

  private final EchoModel model = new EchoModel(InstantSource.system());
  private final ExchangeCompletion completion;
  private final ResponseHead head;

  EchoResponder(ExchangeCompletion completion, ResponseHead head) {
    this.completion = completion;
    this.head = head;
  }

  void respond(Exchange exchange) {
    if (exchange.endpoint == ApiEndpoint.ANTHROPIC_COUNT_TOKENS || exchange.endpoint == ApiEndpoint.RESPONSES_INPUT_TOKENS
        || exchange.endpoint == ApiEndpoint.GEMINI_COUNT_TOKENS) {
      countTokens(exchange);
      return;
    }
    byte[] body = exchange.processed.body();
    JsonNode request;
    try {
      request = body == null || body.length == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(body);
    } catch (IOException e) {
      completion.fail(exchange, new GatewayError.InvalidRequest("Request body must be a JSON object", null));
      return;
    }
    boolean stream = exchange.body.stream();
    // A processor that edited the request (a guard's redaction) is answered from its edit, as a
    // network backend would be sent it.
    ObjectNode edited = exchange.context.pivot().editedOrNull();
    EchoModel.Answer answer;
    InboundCodec codec = null;
    if (exchange.endpoint == ApiEndpoint.ANTHROPIC_MESSAGES || exchange.endpoint == ApiEndpoint.RESPONSES
        || exchange.endpoint.api() == InboundApi.Gemini) {
      codec = InboundCodecs.of(exchange.endpoint, exchange.body.model());
      try {
        request = edited != null ? edited : codec.toPivot(request);
      } catch (TranslationException e) {
        completion.fail(exchange, e.error());
        return;
      }
      answer = model.chatCompletion(request, stream, true);
    } else if (exchange.endpoint == ApiEndpoint.RERANK) {
      try {
        answer = model.rerank(request instanceof ObjectNode object ? object : Json.MAPPER.createObjectNode());
      } catch (TranslationException e) {
        completion.fail(exchange, e.error());
        return;
      }
    } else {
      answer = switch (exchange.endpoint) {
        case CHAT_COMPLETIONS -> model.chatCompletion(edited != null ? edited : request, stream,
            exchange.body.clientAskedForUsage());
        case COMPLETIONS -> model.completion(request, stream, exchange.body.clientAskedForUsage());
        case EMBEDDINGS -> model.embeddings(request);
        default -> null;
      };
    }
    if (answer == null) {
      completion.fail(exchange, new GatewayError.RouteNotFound(exchange.request.method().name(), exchange.path));
      return;
    }
    List<byte[]> out;
    boolean sse = answer instanceof EchoModel.Answer.Stream;
    try {
      out = codec == null ? openAi(answer) : inClientFormat(codec, answer);
    } catch (UncheckedIOException e) {
      completion.fail(exchange, new GatewayError.Internal("Internal gateway error; request id " + exchange.requestId));
      return;
    }
    exchange.usage = switch (answer) {
      case EchoModel.Answer.Body plain -> plain.usage();
      case EchoModel.Answer.Stream events -> events.usage();
    };
    HttpServerResponse response = exchange.request.response();
    response.putHeader(HttpHeaders.CONTENT_TYPE, sse ? "text/event-stream" : "application/json");
    if (sse) {
      response.putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    }
    head.open(exchange, 200, sse, writer -> {
      if (!sse && out.size() == 1) {
        writer.offerWhole(out.getFirst(), null); // what a processor that buffers answers is promised
        return;
      }
      out.forEach(bytes -> writer.offer(bytes, null));
      writer.finish();
    });
  }

  private static List<byte[]> openAi(EchoModel.Answer answer) {
    return switch (answer) {
      case EchoModel.Answer.Body plain -> List.of(plain.json());
      case EchoModel.Answer.Stream events -> events.events();
    };
  }

  /** The echo's OpenAI answer through the client's codec. */
  private static List<byte[]> inClientFormat(InboundCodec codec, EchoModel.Answer answer) {
    try {
      return switch (answer) {
        case EchoModel.Answer.Body plain -> List.of(codec.fromPivot((ObjectNode) Json.MAPPER.readTree(plain.json())));
        case EchoModel.Answer.Stream events -> {
          List<byte[]> out = new ArrayList<>();
          var decoder = new SseDecoder(event -> {
            if (event.data() != null && !event.isDone()) {
              try {
                codec.pivotChunk((ObjectNode) Json.MAPPER.readTree(event.data()), out::add);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }
          }, 1 << 20);
          events.events().forEach(decoder::feed);
          codec.pivotEnd(out::add);
          yield out;
        }
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code /v1/messages/count_tokens} and {@code /v1/responses/input_tokens} answered by the gateway
   * (o200k_base, an approximation of other providers' tokenizers).
   */
  void countTokens(Exchange exchange) {
    byte[] out;
    try {
      JsonNode request = Json.MAPPER.readTree(exchange.processed.body());
      out = Json.MAPPER.writeValueAsBytes(switch (exchange.endpoint) {
        case RESPONSES_INPUT_TOKENS -> ResponsesTokenCount.count(request);
        case GEMINI_COUNT_TOKENS -> GeminiTokenCount.count(request);
        default -> AnthropicTokenCount.count(request);
      });
    } catch (TranslationException e) {
      completion.fail(exchange, e.error());
      return;
    } catch (IOException | RuntimeException e) {
      completion.fail(exchange, new GatewayError.InvalidRequest("Request body must be a JSON object", null));
      return;
    }
    exchange.request.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    head.open(exchange, 200, false, writer -> {
      writer.offer(out, null);
      writer.finish();
    });
  }
}
