package dev.aigis.core.guard.pii;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.List;
import org.apache.commons.validator.routines.InetAddressValidator;

/** IPv4 and IPv6 addresses, checked by commons-validator's {@link InetAddressValidator}. */
final class IpRecognizer implements Recognizer {

  private static final Pattern V4 = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");
  private static final Pattern V6 =
      Pattern.compile("[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})?");
  private static final InetAddressValidator VALIDATOR = InetAddressValidator.getInstance();

  @Override
  public void find(String text, List<PiiMatch> out) {
    Matcher m = V4.matcher(text);
    while (m.find()) {
      if (Chars.standsAlone(text, m.start(), m.end()) && Chars.notJoined(text, m.start(), m.end())
          && VALIDATOR.isValidInet4Address(m.group())) {
        out.add(new PiiMatch(PiiEntity.IP_ADDRESS, m.start(), m.end()));
      }
    }
    m = V6.matcher(text);
    while (m.find()) {
      int end = m.end();
      while (end > m.start() && text.charAt(end - 1) == ':' && end - 2 >= m.start() && text.charAt(end - 2) != ':') {
        end--; // "fe80::1:" at the end of a clause
      }
      String candidate = text.substring(m.start(), end);
      if (Chars.standsAlone(text, m.start(), end) && groups(candidate) >= 2
          && VALIDATOR.isValidInet6Address(candidate)) {
        out.add(new PiiMatch(PiiEntity.IP_ADDRESS, m.start(), end));
      }
    }
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
