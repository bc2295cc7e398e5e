package dev.aigis.extproc;

import com.google.protobuf.ByteString;
import dev.aigis.core.processing.MutableHeaders;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.ProcessedResponse;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
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

/**
 * Headers between Aigis messages and ext_proc protos, as Envoy does it: names lower-cased, values
 * sent in {@code raw_value} (Envoy stopped filling {@code value}), values read from
 * {@code raw_value} or else {@code value}.
 */
final class HeaderCodec {

  private HeaderCodec() {}

  /**
   * The request headers with Envoy's pseudo-headers first. {@link ProcessedRequest} carries
   * neither scheme nor authority, so {@code :authority} is the adapter's {@code :authority} header
   * or else {@code Host} (which is then not sent again, as Envoy folds it into {@code :authority}),
   * and {@code :scheme} the adapter's {@code :scheme} header or else {@code http}. {@code :path} is
   * {@link ProcessedRequest#path()}, which has no query string.
   */
  static HeaderMap request(ProcessedRequest request) {
    MutableHeaders headers = request.headers();
    String authority = headers.get(":authority");
    boolean hostIsAuthority = authority == null;
    if (hostIsAuthority) {
      authority = headers.get("host");
    }
    String scheme = headers.get(":scheme");
    HeaderMap.Builder map = HeaderMap.newBuilder();
    add(map, ":method", request.method());
    add(map, ":path", request.path());
    if (authority != null) {
      add(map, ":authority", authority);
    }
    add(map, ":scheme", scheme == null ? "http" : scheme);
    for (Map.Entry<String, String> e : headers.entries()) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith(":") || (hostIsAuthority && name.equals("host"))) {
        continue;
      }
      add(map, name, e.getValue());
    }
    return map.build();
  }

  static HeaderMap response(ProcessedResponse response) {
    HeaderMap.Builder map = HeaderMap.newBuilder();
    add(map, ":status", Integer.toString(response.status()));
    for (Map.Entry<String, String> e : response.headers().entries()) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (!name.startsWith(":")) {
        add(map, name, e.getValue());
      }
    }
    return map.build();
  }

  private static void add(HeaderMap.Builder map, String name, String value) {
    map.addHeaders(HeaderValue.newBuilder().setKey(name).setRawValue(ByteString.copyFromUtf8(value)));
  }

  static String value(HeaderValue header) {
    return header.getRawValue().isEmpty() ? header.getValue() : header.getRawValue().toString(StandardCharsets.UTF_8);
  }

  /** Receives mutations of pseudo-headers, which are not in {@link MutableHeaders}. */
  interface PseudoHeaders {
    void set(String name, String value);
  }

  /**
   * Applies a mutation the way Envoy's ext_proc filter does: removals first, then each
   * {@code set_headers} entry by its action. The deprecated {@code append} wins when present
   * (true appends, false overwrites); otherwise {@code append_action}, whose default appends.
   * Pseudo-headers cannot be removed; setting one goes to {@code pseudo}.
   */
  static void apply(HeaderMutation mutation, MutableHeaders headers, PseudoHeaders pseudo) {
    for (String name : mutation.getRemoveHeadersList()) {
      if (!name.startsWith(":")) {
        headers.remove(name);
      }
    }
    for (HeaderValueOption option : mutation.getSetHeadersList()) {
      String name = option.getHeader().getKey().toLowerCase(Locale.ROOT);
      String value = value(option.getHeader());
      if (name.startsWith(":")) {
        pseudo.set(name, value);
        continue;
      }
      switch (action(option)) {
        case APPEND_IF_EXISTS_OR_ADD -> headers.add(name, value);
        case ADD_IF_ABSENT -> {
          if (headers.get(name) == null) {
            headers.add(name, value);
          }
        }
        case OVERWRITE_IF_EXISTS -> {
          if (headers.get(name) != null) {
            headers.set(name, value);
          }
        }
        case OVERWRITE_IF_EXISTS_OR_ADD, UNRECOGNIZED -> headers.set(name, value);
      }
    }
  }

  /** The headers of an ImmediateResponse, by the same append/overwrite rules, into a fresh map. */
  static Map<String, List<String>> immediate(HeaderMutation mutation) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (HeaderValueOption option : mutation.getSetHeadersList()) {
      String name = option.getHeader().getKey().toLowerCase(Locale.ROOT);
      String value = value(option.getHeader());
      List<String> values = out.get(name);
      switch (action(option)) {
        case APPEND_IF_EXISTS_OR_ADD -> out.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        case ADD_IF_ABSENT -> {
          if (values == null) {
            out.put(name, new ArrayList<>(List.of(value)));
          }
        }
        case OVERWRITE_IF_EXISTS -> {
          if (values != null) {
            out.put(name, new ArrayList<>(List.of(value)));
          }
        }
        case OVERWRITE_IF_EXISTS_OR_ADD, UNRECOGNIZED -> out.put(name, new ArrayList<>(List.of(value)));
      }
    }
    out.replaceAll((name, values) -> List.copyOf(values));
    return out;
  }

  private static HeaderAppendAction action(HeaderValueOption option) {
    if (option.hasAppend()) {
      return option.getAppend().getValue()
          ? HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD
          : HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD;
    }
    return option.getAppendAction();
  }
}
