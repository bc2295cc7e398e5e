package dev.aigis.extproc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.BoolValue;
import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption.HeaderAppendAction;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeaderCodecTest {

  private static HeaderValueOption option(String name, String value, HeaderAppendAction action) {
    return HeaderValueOption.newBuilder()
        .setHeader(HeaderValue.newBuilder().setKey(name).setRawValue(ByteString.copyFromUtf8(value)))
        .setAppendAction(action).build();
  }

  @Test
  void appliesRemovalsThenSetsByAppendAction() {
    var headers = TestHeaders.of("a", "1", "b", "1", "c", "1", "gone", "x");
    var pseudo = new HashMap<String, String>();
    var mutation = HeaderMutation.newBuilder()
        .addRemoveHeaders("gone")
        .addRemoveHeaders(":path")
        .addSetHeaders(option("a", "2", HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD))
        .addSetHeaders(option("b", "2", HeaderAppendAction.ADD_IF_ABSENT))
        .addSetHeaders(option("c", "2", HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD))
        .addSetHeaders(option("d", "2", HeaderAppendAction.OVERWRITE_IF_EXISTS))
        .addSetHeaders(option("E", "2", HeaderAppendAction.ADD_IF_ABSENT))
        .addSetHeaders(HeaderValueOption.newBuilder()
            .setHeader(HeaderValue.newBuilder().setKey("a").setValue("legacy")).setAppend(BoolValue.of(false)))
        .addSetHeaders(option(":path", "/v2?x=1", HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD))
        .build();

    HeaderCodec.apply(mutation, headers, pseudo::put);

    assertThat(headers.getAll("a")).containsExactly("legacy");
    assertThat(headers.getAll("b")).containsExactly("1");
    assertThat(headers.getAll("c")).containsExactly("2");
    assertThat(headers.get("d")).isNull();
    assertThat(headers.get("e")).isEqualTo("2");
    assertThat(headers.get("gone")).isNull();
    assertThat(pseudo).isEqualTo(Map.of(":path", "/v2?x=1"));
  }

  @Test
  void immediateResponseHeadersKeepRepeatedValues() {
    var mutation = HeaderMutation.newBuilder()
        .addSetHeaders(option("Set-Cookie", "a=1", HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD))
        .addSetHeaders(option("set-cookie", "b=2", HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD))
        .addSetHeaders(option("content-type", "text/plain", HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD))
        .build();

    assertThat(HeaderCodec.immediate(mutation)).containsExactly(
        Map.entry("set-cookie", List.of("a=1", "b=2")), Map.entry("content-type", List.of("text/plain")));
  }
}
