package dev.aigis.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The one Jackson configuration Aigis uses on the request path; thread-safe and shared. */
public final class Json {

  /**
   * Source content is never included in locations: parse errors go back to clients and into logs,
   * and must not echo the prompt.
   */
  public static final JsonFactory FACTORY =
      JsonFactory.builder().disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();

  public static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

  private Json() {}
}
