package dev.aigis.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The one Jackson configuration Aigis uses on the request path; thread-safe and shared. */
public final class Json {

  /** Fails on duplicate keys nowhere (OpenAI does not) but keeps source locations for error messages. */
  public static final JsonFactory FACTORY =
      JsonFactory.builder().enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();

  public static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

  private Json() {}
}
