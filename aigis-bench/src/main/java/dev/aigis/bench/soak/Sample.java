package dev.aigis.bench.soak;

/**
 * One sample: the gateway's resources, and the traffic up to that moment.
 *
 * @param seconds since traffic started
 * @param usage what the gateway held
 * @param requests answers the driver had classified so far, warm-up included
 * @param unexplained of those, the unexplained ones
 * @param plainP50Micros median latency of plain OpenAI requests without fault since the previous
 *     sample; -1 when there were none
 * @param plainP99Micros their 99th percentile, -1 likewise
 * @param underLoad false for the last sample, taken after traffic stopped
 */
record Sample(double seconds, ResourceUsage usage, long requests, long unexplained, long plainP50Micros,
    long plainP99Micros, boolean underLoad) {}
