package dev.aigis.core.api.text;

import java.nio.charset.StandardCharsets;

final class TextTesting {

  private TextTesting() {}

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static String string(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
