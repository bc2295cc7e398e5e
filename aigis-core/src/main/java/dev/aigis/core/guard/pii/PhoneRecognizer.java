package dev.aigis.core.guard.pii;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.List;

/**
 * Phone numbers, two ways.
 *
 * <ol>
 *   <li>libphonenumber's {@code findNumbers} at leniency VALID for each configured region: numbers
 *       in that region's national format, and international ones ({@code +41 71 526 99 04}) from
 *       any region.
 *   <li>Numbers in a form libphonenumber cannot place without knowing the country ({@code 0490 75
 *       40 81}, {@code 467 3395}) when a phone word closely precedes them ("phone", "mobile",
 *       "fax", "call", "text me", ...): 7 to 15 digits in groups separated by single spaces,
 *       dashes, dots or parentheses, with an optional extension, and not shaped like a date.
 * </ol>
 */
final class PhoneRecognizer implements Recognizer {

  static final List<String> CONTEXT = List.of(
      "phone", "phones", "telephone", "tel", "mobile", "mob", "cell", "cellphone", "fax", "call",
      "calls", "calling", "called", "text", "texts", "sms", "whatsapp", "message", "messages",
      "contact", "reach", "dial", "ring", "answering", "hotline", "landline", "tlf", "telefon",
      "telefono", "téléphone");
  static final int CONTEXT_CHARS = 40;

  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  private static final Pattern CANDIDATE = Pattern.compile(
      "\\+?(?:\\(\\d{1,4}\\) ?)?\\d{1,8}(?:(?:[ .\\-]|\\) ?| ?\\()\\d{1,8}){0,6}(?: ?(?:x|ext\\.?) ?\\d{1,6})?");
  private static final Pattern DATE = Pattern.compile("\\d{4}[-./]\\d{1,2}[-./]\\d{1,2}|\\d{1,2}[-./]\\d{1,2}[-./]\\d{4}");

  private final List<String> regions;
  private final boolean contextual;

  PhoneRecognizer(List<String> regions, boolean contextual) {
    this.regions = regions.isEmpty() ? List.of("ZZ") : List.copyOf(regions);
    this.contextual = contextual;
  }

  @Override
  public void find(String text, List<PiiMatch> out) {
    if (!hasDigits(text, 7)) {
      return;
    }
    for (String region : regions) {
      for (PhoneNumberMatch m : UTIL.findNumbers(text, region, PhoneNumberUtil.Leniency.VALID, Long.MAX_VALUE)) {
        if (!continuesCode(text, m.start())) {
          out.add(new PiiMatch(PiiEntity.PHONE_NUMBER, m.start(), m.end()));
        }
      }
    }
    if (contextual) {
      Matcher m = CANDIDATE.matcher(text);
      while (m.find()) {
        int digits = Chars.digitsOf(m.group()).length();
        if (digits >= 7 && digits <= 15 && Chars.standsAlone(text, m.start(), m.end())
            && Chars.notJoined(text, m.start(), m.end()) && !DATE.matcher(m.group()).find()
            && Chars.contextHas(text, m.start(), CONTEXT_CHARS, CONTEXT) && !continuesCode(text, m.start())) {
          out.add(new PiiMatch(PiiEntity.PHONE_NUMBER, m.start(), m.end()));
        }
      }
    }
  }

  /**
   * Whether the number continues a code printed in groups, such as the tail of an IBAN or account
   * number ({@code NL87 MRFG 9712 5906 34}): one of the up to eight space-separated groups of one
   * to four letters or digits just before it is an IBAN's start or mixes capitals with digits.
   */
  static boolean continuesCode(String text, int start) {
    int i = start;
    for (int groups = 0; groups < 8 && i >= 2 && text.charAt(i - 1) == ' '; groups++) {
      int end = i - 1;
      int s = end;
      while (s > 0 && s > end - 5 && Character.isLetterOrDigit(text.charAt(s - 1)) && text.charAt(s - 1) < 128) {
        s--;
      }
      if (s == end || end - s > 4 || (s > 0 && Chars.isWordChar(text.charAt(s - 1)))) {
        return false;
      }
      String group = text.substring(s, end);
      if (group.matches("[A-Z]{2}\\d{2}|(?=.*[A-Z])(?=.*\\d)[A-Z0-9]{4}|[A-Z]{4}")) {
        return true;
      }
      i = s;
    }
    return false;
  }

  private static boolean hasDigits(String text, int n) {
    int count = 0;
    for (int i = 0; i < text.length() && count < n; i++) {
      count += Chars.isDigit(text.charAt(i)) ? 1 : 0;
    }
    return count >= n;
  }
}
