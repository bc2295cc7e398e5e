package dev.aigis.server.extproc;

import com.google.protobuf.ByteString;
import dev.aigis.core.processing.MutableHeaders;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption.HeaderAppendAction;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Headers between Envoy's messages and processors, and back as a {@link HeaderMutation}: the
 * difference between the headers before and after the chain. Envoy sends names lower-cased and
 * values in {@code raw_value} (older versions in {@code value}); answers use {@code raw_value}.
 *
 * <p>A changed or added name becomes {@code set_headers}: its first value with
 * {@code OVERWRITE_IF_EXISTS_OR_ADD}, further values with {@code APPEND_IF_EXISTS_OR_ADD}, so
 * repeated headers keep every value in order. A name that disappeared becomes
 * {@code remove_headers}. Envoy applies removals before sets; the two never name the same header.
 */
final class HeaderDiff {

  private HeaderDiff() {}

  static String value(HeaderValue header) {
    return header.getRawValue().isEmpty() ? header.getValue() : header.getRawValue().toString(StandardCharsets.UTF_8);
  }

  /** Values by lower-case name, in first-seen order. */
  static Map<String, List<String>> snapshot(MutableHeaders headers) {
    Map<String, List<String>> byName = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : headers.entries()) {
      byName.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), n -> new ArrayList<>(1)).add(e.getValue());
    }
    return byName;
  }

  /**
   * Adds to {@code mutation} what turns {@code before} into {@code after}, leaving out names the
   * caller owns ({@code ignored}, lower-case: {@code host}, which Envoy will not change, and
   * {@code content-length}, which follows the body). Returns whether anything was added.
   */
  static boolean diff(Map<String, List<String>> before, Map<String, List<String>> after, List<String> ignored,
      HeaderMutation.Builder mutation) {
    boolean changed = false;
    for (Map.Entry<String, List<String>> e : after.entrySet()) {
      String name = e.getKey();
      if (ignored.contains(name) || Objects.equals(before.get(name), e.getValue())) {
        continue;
      }
      List<String> values = e.getValue();
      for (int i = 0; i < values.size(); i++) {
        mutation.addSetHeaders(option(name, values.get(i),
            i == 0 ? HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD : HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD));
      }
      changed = true;
    }
    for (String name : before.keySet()) {
      if (!after.containsKey(name) && !ignored.contains(name)) {
        mutation.addRemoveHeaders(name);
        changed = true;
      }
    }
    return changed;
  }

  static HeaderValueOption option(String name, String value, HeaderAppendAction action) {
    return HeaderValueOption.newBuilder()
        .setHeader(HeaderValue.newBuilder().setKey(name).setRawValue(ByteString.copyFromUtf8(value)))
        .setAppendAction(action)
        .build();
  }

  static HeaderValueOption overwrite(String name, String value) {
    return option(name, value, HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD);
  }

  /** An immediate response's headers, names lower-cased as HTTP/2 requires. */
  static HeaderMutation immediate(Map<String, List<String>> headers) {
    HeaderMutation.Builder mutation = HeaderMutation.newBuilder();
    if (headers != null) {
      headers.forEach((name, values) -> {
        for (int i = 0; i < values.size(); i++) {
          mutation.addSetHeaders(option(name.toLowerCase(Locale.ROOT), values.get(i),
              i == 0 ? HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD : HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD));
        }
      });
    }
    return mutation.build();
  }
}
