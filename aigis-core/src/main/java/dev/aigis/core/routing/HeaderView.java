package dev.aigis.core.routing;

import java.util.List;

/**
 * Read-only view of the request headers, implemented by each server adapter over its own header
 * map so routing copies nothing. Names are case-insensitive.
 */
public interface HeaderView {

  /** The first value of the header, or null when absent. Header matches use only this value. */
  String get(String name);

  /** Every value in arrival order; empty when absent. */
  List<String> getAll(String name);
}
