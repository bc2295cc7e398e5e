/**
 * The tamper-evident audit log of outbound calls: {@link dev.aigis.server.audit.AuditLog} writes
 * hash-chained JSON Lines off the event loops and rotates them by size,
 * {@link dev.aigis.server.audit.AuditRecord} is what one record says, and
 * {@link dev.aigis.server.audit.AuditChain} hashes and verifies the chain for the writer and for
 * {@code aigis audit verify}.
 */
package dev.aigis.server.audit;
