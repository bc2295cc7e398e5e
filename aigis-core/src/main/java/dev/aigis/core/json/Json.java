package dev.aigis.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The one Jackson configuration Aigis uses on the request path; thread-safe and shared. */
public final class Json {

  /**
   * How deep a document read here may nest. Translations wrap what a client sent in a few more
   * levels (a Bedrock tool schema sits seven deep), and Jackson refuses to write past 1,000: read
   * at its default of 1,000, a client's 995-deep tool schema became a request that could not be
   * written, a 500. Half leaves ample room either way; it is also Jackson 3's default.
   */
  public static final int MAX_NESTING_DEPTH = 500;

  /**
   * Source content is never included in locations: parse errors go back to clients and into logs,
   * and must not echo the prompt.
   */
  public static final JsonFactory FACTORY = JsonFactory.builder()
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
      .build();

  public static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

  private Json() {}
}
