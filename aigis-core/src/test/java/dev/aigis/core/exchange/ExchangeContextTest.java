package dev.aigis.core.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.core.api.AnthropicErrorRenderer;
import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.api.OpenAiErrorRenderer;
import dev.aigis.core.processing.HeaderList;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.usage.TokenUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExchangeContextTest {

  private static final AttributeKey<String> TENANT = AttributeKey.of("tenant", String.class);
  private static final AttributeKey<Integer> TOKENS = AttributeKey.of("tokens", Integer.class);

  private final ExchangeContext context = new ExchangeContext("req-1", ApiEndpoint.CHAT_COMPLETIONS, null);

  private static ExchangeSummary summary(int status) {
    return new ExchangeSummary("req-1", status, TokenUsage.of(3, 4), "gpt-4o", "default/chat", "default/backend", null,
        Duration.ofMillis(20), Duration.ofMillis(5), Map.of());
  }

  @Test
  void attributesAreTypedAndKeyedByIdentity() {
    AttributeKey<String> otherTenant = AttributeKey.of("tenant", String.class);
    Attributes attributes = context.attributes();

    attributes.put(TENANT, "acme");
    attributes.put(TOKENS, 42);

    String tenant = attributes.get(TENANT);
    int tokens = attributes.get(TOKENS);
    assertThat(tenant).isEqualTo("acme");
    assertThat(tokens).isEqualTo(42);
    assertThat(attributes.get(otherTenant)).as("a key of the same name is another key").isNull();
    assertThat(attributes.snapshot()).isEqualTo(Map.of("tenant", "acme", "tokens", 42));

    attributes.remove(TENANT);

    assertThat(attributes.get(TENANT)).isNull();
    assertThat(attributes.snapshot()).isEqualTo(Map.of("tokens", 42));
  }

  @Test
  void theSnapshotIsACopy() {
    context.attributes().put(TENANT, "acme");
    Map<String, Object> snapshot = context.attributes().snapshot();

    context.attributes().put(TENANT, "other");

    assertThat(snapshot).isEqualTo(Map.of("tenant", "acme"));
    assertThatThrownBy(() -> snapshot.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void attributesRefuseNullValues() {
    assertThatThrownBy(() -> context.attributes().put(TENANT, null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void completionHooksAreCalledOnceEvenWhenCompleteIsCalledTwice() {
    List<Integer> statuses = new ArrayList<>();
    context.onComplete(s -> statuses.add(s.status()));

    context.complete(summary(200));
    context.complete(summary(499));

    assertThat(statuses).containsExactly(200);
    assertThat(context.completed()).isTrue();
  }

  @Test
  void aFailingHookDoesNotStopTheOthers() {
    List<String> called = new ArrayList<>();
    context.onComplete(s -> called.add("first"));
    context.onComplete(s -> {
      throw new IllegalStateException("audit sink down");
    });
    context.onComplete(s -> called.add("third"));

    context.complete(summary(200));

    assertThat(called).containsExactly("first", "third");
    assertThat(context.completed()).isTrue();
  }

  @Test
  void completingWithoutHooksIsFine() {
    context.complete(summary(200));

    assertThat(context.completed()).isTrue();
  }

  @Test
  void errorsAreRenderedInTheClientsFormat() {
    assertThat(context.errors()).isSameAs(OpenAiErrorRenderer.INSTANCE);
    assertThat(new ExchangeContext("r", ApiEndpoint.ANTHROPIC_MESSAGES, null).errors())
        .isSameAs(AnthropicErrorRenderer.INSTANCE);
    assertThat(new ExchangeContext("r", ApiEndpoint.ANTHROPIC_COUNT_TOKENS, null).errors())
        .isSameAs(AnthropicErrorRenderer.INSTANCE);
    assertThat(new ExchangeContext("r", ApiEndpoint.RESPONSES, null).errors())
        .isSameAs(dev.aigis.core.api.ResponsesErrorRenderer.INSTANCE);
    assertThat(new ExchangeContext("r", ApiEndpoint.RESPONSES_INPUT_TOKENS, null).errors())
        .isSameAs(OpenAiErrorRenderer.INSTANCE);
  }

  @Test
  void aContextBelongsToOneRequest() {
    var request = new ProcessedRequest(context, "POST", "/v1/chat/completions", HeaderList.of(), null, null);

    assertThat(context.request()).isSameAs(request);
    assertThatThrownBy(() -> new ProcessedRequest(context, "POST", "/v1/chat/completions", HeaderList.of(), null, null))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void routeAndBackendNamesAreEmptyBeforeRouting() {
    assertThat(context.route()).isNull();
    assertThat(context.routeName()).isEmpty();
    assertThat(context.backendName()).isEmpty();
  }

  @Test
  void upstreamPathRewritesApplyInTheOrderTheyWereAdded() {
    assertThat(context.upstreamPathRewrite().apply("/v1/messages")).isEqualTo("/v1/messages");

    context.rewriteUpstreamPath(p -> p.replace("/v1", "/v2"));
    context.rewriteUpstreamPath(p -> "/team" + p);

    assertThat(context.upstreamPathRewrite().apply("/v1/messages")).isEqualTo("/team/v2/messages");
  }
}
