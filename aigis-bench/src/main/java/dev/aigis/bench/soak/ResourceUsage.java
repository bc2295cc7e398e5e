package dev.aigis.bench.soak;

/**
 * What the gateway process holds at one moment.
 *
 * @param rssBytes resident memory ({@code VmRSS})
 * @param heapUsedBytes heap in use right after a full GC ({@code jcmd GC.run}): the live set
 * @param heapCommittedBytes heap the JVM has committed
 * @param threads the process's threads, JVM-internal ones included
 * @param descriptors open file descriptors (entries of {@code /proc/PID/fd})
 * @param connections its TCP connections
 */
record ResourceUsage(long rssBytes, long heapUsedBytes, long heapCommittedBytes, int threads, int descriptors,
    Connections connections) {}
