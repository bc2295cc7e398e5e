package dev.aigis.core.guard.pii;

/**
 * What happens to an entity found in a text.
 *
 * <ul>
 *   <li>{@link #REDACT}: replaced by its type, {@code [EMAIL_ADDRESS]}.
 *   <li>{@link #MASK}: the shape stays, the value goes. An email keeps its first character and
 *       domain ({@code j***@example.com}); a private key becomes {@code [PRIVATE_KEY]}; every other
 *       entity keeps its separators and its last four letters or digits, the rest become
 *       {@code *} ({@code ****-****-****-1111}).
 *   <li>{@link #HASH}: {@code <EMAIL_ADDRESS:3f9a0c1b2d4e>}, the first 12 hex digits of an
 *       HMAC-SHA256 of the normalised value under the gateway's key: equal values give equal
 *       tokens (a conversation stays coherent), the value cannot be recovered or guessed without
 *       the key. Digits-based values are normalised to their digits and letters (the same card
 *       with spaces or dashes hashes alike), emails to lower case.
 *   <li>{@link #BLOCK}: the whole text is refused (a request is answered 400; a stream ends
 *       with an error event).
 * </ul>
 */
public enum PiiAction {
  REDACT,
  MASK,
  HASH,
  BLOCK
}
