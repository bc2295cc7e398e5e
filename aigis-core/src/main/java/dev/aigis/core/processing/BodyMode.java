package dev.aigis.core.processing;

/**
 * How much of a body a processor needs (ext_proc's processing modes): nothing, the whole body
 * buffered (bounded by the buffer limit; 413 above), or each chunk as it streams.
 */
public enum BodyMode { NONE, BUFFERED, STREAMED }
