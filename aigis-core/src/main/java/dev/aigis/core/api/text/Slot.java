package dev.aigis.core.api.text;

import com.fasterxml.jackson.core.JsonPointer;

/** A string field of an answer that holds text the user sees: where it is, and what it holds now. */
record Slot(JsonPointer at, String text) {}
