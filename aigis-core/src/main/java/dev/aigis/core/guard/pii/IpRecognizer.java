package dev.aigis.core.guard.pii;

import java.util.List;
import org.apache.commons.validator.routines.InetAddressValidator;

/**
 * IPv4 and IPv6 addresses, checked by commons-validator's {@link InetAddressValidator}.
 * Candidates are maximal runs of hex digits, colons and dots found by a plain scan: a pattern
 * such as {@code [0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}} can start anywhere, which makes RE2J's
 * automaton several times slower than the scan.
 */
final class IpRecognizer implements Recognizer {

  private static final InetAddressValidator VALIDATOR = InetAddressValidator.getInstance();

  @Override
  public void find(String text, List<PiiMatch> out) {
    int n = text.length();
    int i = 0;
    while (i < n) {
      if (!runChar(text.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      int colons = 0;
      int dots = 0;
      while (i < n && runChar(text.charAt(i))) {
        colons += text.charAt(i) == ':' ? 1 : 0;
        dots += text.charAt(i) == '.' ? 1 : 0;
        i++;
      }
      int end = i;
      while (end > start && (text.charAt(end - 1) == '.' || (text.charAt(end - 1) == ':'
          && (end - 2 < start || text.charAt(end - 2) != ':')))) {
        colons -= text.charAt(end - 1) == ':' ? 1 : 0; // a clause's full stop or colon after it
        dots -= text.charAt(end - 1) == '.' ? 1 : 0;
        end--;
      }
      if (end - start < 3 || !Chars.standsAlone(text, start, end)) {
        continue;
      }
      String candidate = text.substring(start, end);
      if (colons == 0 && dots == 3 ? VALIDATOR.isValidInet4Address(candidate)
          : colons >= 2 && groups(candidate) >= 2 && VALIDATOR.isValidInet6Address(candidate)) {
        out.add(new PiiMatch(PiiEntity.IP_ADDRESS, start, end));
      }
    }
  }

  private static boolean runChar(char c) {
    return Chars.isDigit(c) || c == ':' || c == '.' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** Non-empty groups: {@code ::} and {@code ::1} say nothing about a person. */
  private static int groups(String candidate) {
    int n = 0;
    for (String g : candidate.split("[:.]")) {
      n += g.isEmpty() ? 0 : 1;
    }
    return n;
  }
}
