/**
 * Gateway API HTTPRoute matching: which rule of which route serves a request, and which of the
 * rule's weighted backends takes it.
 *
 * <h2>Entry points</h2>
 * {@link dev.aigis.core.routing.Router#compile} builds an immutable router per listener and
 * configuration snapshot; {@link dev.aigis.core.routing.Router#match} runs per request and returns
 * a {@link dev.aigis.core.routing.RouteMatchResult} whose
 * {@link dev.aigis.core.routing.BackendSelector} picks a backend.
 *
 * <h2>Attachment</h2>
 * A route serves a listener when a parentRef names the listener's Gateway (group
 * {@code gateway.networking.k8s.io} and kind {@code Gateway} by default, namespace defaulting to the
 * route's), its {@code sectionName} is absent or the listener name, and its {@code port} is absent
 * or the listener port; and when, if both sides list hostnames, at least one intersects.
 *
 * <h2>Precedence, highest first</h2>
 * <ol>
 *   <li><b>Hostname</b>: a rule served under the exact request host, then under the wildcard with
 *       the longest suffix covering the host, then shorter wildcards, then rules that accept any
 *       host. A tier is left only when none of its rules match.
 *   <li><b>Exact</b> path match.
 *   <li><b>PathPrefix</b> with the most characters (a trailing slash does not count).
 *   <li><b>RegularExpression</b> path, longer pattern first. The spec leaves regex precedence to
 *       the implementation; Aigis puts it after every Exact and PathPrefix match.
 *   <li>A <b>method</b> match present.
 *   <li>The most <b>header</b> matches.
 *   <li>The most <b>query parameter</b> matches.
 *   <li>The <b>oldest route</b> by {@code creationTimestamp}; routes without one come after those
 *       with one and tie among themselves.
 *   <li><b>{@code namespace/name}</b>, alphabetically.
 *   <li><b>Order given</b>: route list order, then rule order, then match order within the rule.
 * </ol>
 *
 * <h2>Matching</h2>
 * PathPrefix matches whole path elements ({@code /foo} accepts {@code /foo}, {@code /foo/},
 * {@code /foo/bar}, not {@code /foobar}); Exact compares strings; regexes must match the whole
 * value. Header names are case-insensitive, values case-sensitive, and only the first value of a
 * repeated header counts. Query parameter names are case-sensitive, values percent-decoded, first
 * value only. Methods compare case-sensitively.
 *
 * <h2>Backends</h2>
 * Picks are proportional to weight; weight 0 is never picked. When the weights sum to 0, or the
 * pick lands on a ref that did not resolve, no backend is returned and the request must fail with
 * 500, as Gateway API requires.
 */
package dev.aigis.core.routing;
