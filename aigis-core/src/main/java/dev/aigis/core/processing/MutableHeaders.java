package dev.aigis.core.processing;

import dev.aigis.core.routing.HeaderView;
import java.util.Map;

/** Headers a processor may change. Names are case-insensitive. */
public interface MutableHeaders extends HeaderView {

  void set(String name, String value);

  void add(String name, String value);

  void remove(String name);

  /** Every header, in order, duplicates included. */
  Iterable<Map.Entry<String, String>> entries();
}
