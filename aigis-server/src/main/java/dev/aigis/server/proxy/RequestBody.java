package dev.aigis.server.proxy;

import io.vertx.core.buffer.Buffer;

/** A buffered request body: the Buffer to send on unchanged, and its bytes for parsing. */
record RequestBody(Buffer buffer, byte[] bytes) {}
