package dev.aigis.core.guard.pii;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.re2j.Pattern;
import java.util.List;

/**
 * Phone numbers, two ways.
 *
 * <ol>
 *   <li>libphonenumber's parse and {@code isValidNumber} (its VALID leniency) for each configured region: numbers
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
  private static final Pattern DATE = Pattern.compile("\\d{4}[-./]\\d{1,2}[-./]\\d{1,2}|\\d{1,2}[-./]\\d{1,2}[-./]\\d{4}");

  private static final java.util.regex.Pattern CODE_GROUP =
      java.util.regex.Pattern.compile("[A-Z]{2}\\d{2}|(?=.*[A-Z])(?=.*\\d)[A-Z0-9]{4}|[A-Z]{4}"); // 4 chars: no backtracking to fear

  private final List<String> regions;
  private final boolean contextual;

  /** Per region, the digit counts a national number may have, with and without the country code. */
  private final java.util.Map<String, java.util.Set<Integer>> lengths = new java.util.HashMap<>();

  PhoneRecognizer(List<String> regions, boolean contextual) {
    this.regions = regions.isEmpty() ? List.of("ZZ") : List.copyOf(regions);
    this.contextual = contextual;
    for (String region : this.regions) {
      // the metadata's possible lengths are not public: the span of its example numbers' lengths
      int min = Integer.MAX_VALUE;
      int max = 0;
      for (PhoneNumberUtil.PhoneNumberType type : PhoneNumberUtil.PhoneNumberType.values()) {
        var example = UTIL.getExampleNumberForType(region, type);
        if (example != null) {
          int len = UTIL.getNationalSignificantNumber(example).length();
          min = Math.min(min, len);
          max = Math.max(max, len);
        }
      }
      java.util.Set<Integer> set = new java.util.HashSet<>();
      int cc = String.valueOf(UTIL.getCountryCodeForRegion(region)).length();
      for (int len = min; len <= max; len++) {
        set.add(len);
        set.add(len + 1); // a national prefix (0 or 1)
        set.add(len + cc);
      }
      lengths.put(region, java.util.Set.copyOf(set));
    }
  }

  /**
   * Candidates are phone-shaped runs found by a scan; libphonenumber parses and validates each
   * candidate. Its {@code findNumbers} over a whole text tries every sub-sequence of long digit
   * runs (card numbers) and costs tens of milliseconds per 2 KB.
   */
  @Override
  public void find(String text, List<PiiMatch> out) {
    find(text, out, null);
  }

  /**
   * @param memo validity of candidates already parsed, kept by a caller that rescans overlapping
   *     text (the streaming redactor rescans its held tail on every delta); null for none
   */
  void find(String text, List<PiiMatch> out, java.util.Map<String, Boolean> memo) {
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      boolean opener = c == '+' || c == '(' || Chars.isDigit(c);
      if (!opener || (i > 0 && (Chars.isWordChar(text.charAt(i - 1)) || text.charAt(i - 1) == '+'))) {
        continue;
      }
      int end = candidateEnd(text, i);
      if (end < 0) {
        continue;
      }
      String candidate = text.substring(i, end);
      int digits = Chars.digitsOf(candidate).length();
      if (digits >= 7 && digits <= 21 && Chars.standsAlone(text, i, end) && Chars.notJoined(text, i, end)
          && !continuesCode(text, i)) {
        check(text, i, candidate, out, memo);
      }
      i = end - 1;
    }
  }

  private void check(String text, int start, String candidate, List<PiiMatch> out, java.util.Map<String, Boolean> memo) {
    int main = Chars.digitsOf(withoutExtension(candidate)).length();
    if (main > 15 || DATE.matcher(candidate).find()) {
      return; // longer than E.164 allows (card numbers; libphonenumber is slow on long runs), a date
    }
    boolean valid;
    if (memo == null) {
      valid = valid(candidate);
    } else {
      if (memo.size() > 256) {
        memo.clear();
      }
      valid = memo.computeIfAbsent(candidate, this::valid);
    }
    if (valid) {
      out.add(new PiiMatch(PiiEntity.PHONE_NUMBER, start, start + candidate.length()));
      return;
    }
    if (contextual && main >= 7
        && Chars.contextHas(text, start, CONTEXT_CHARS, CONTEXT)) {
      out.add(new PiiMatch(PiiEntity.PHONE_NUMBER, start, start + candidate.length()));
    }
  }

  /** libphonenumber's VALID leniency: a number valid in one of the regions (or anywhere, with +). */
  private boolean valid(String candidate) {
    boolean international = candidate.startsWith("+") || candidate.startsWith("00");
    int digits = Chars.digitsOf(withoutExtension(candidate)).length();
    for (String region : regions) {
      if (!international && !lengths.getOrDefault(region, java.util.Set.of()).contains(digits)) {
        continue; // parsing costs tens of microseconds; a national number has one of few lengths
      }
      try {
        var number = UTIL.parse(candidate, region);
        if (UTIL.isValidNumber(number)) {
          return true;
        }
      } catch (NumberParseException e) {
        // not a number in this region's format
      }
    }
    return false;
  }

  /**
   * End of the phone-shaped run at {@code i}: digit groups joined by one space, dot or dash, or by
   * parentheses ({@code +41 (0)71}, {@code (202) 456-1111}), then an optional extension
   * ({@code x123}, {@code ext. 123}); -1 when there is none.
   */
  static int candidateEnd(String text, int i) {
    int n = text.length();
    int p = i;
    if (text.charAt(p) == '+') {
      p++;
    }
    int last = -1; // end of the last digit
    while (p < n) {
      char c = text.charAt(p);
      if (Chars.isDigit(c)) {
        p++;
        last = p;
      } else if (c == '(' && p + 1 < n && Chars.isDigit(text.charAt(p + 1))) {
        p++;
      } else if (c == ')' && last == p && p + 1 < n
          && (Chars.isDigit(text.charAt(p + 1)) || (text.charAt(p + 1) == ' ' && p + 2 < n && Chars.isDigit(text.charAt(p + 2))))) {
        p += text.charAt(p + 1) == ' ' ? 2 : 1;
      } else if ((c == ' ' || c == '.' || c == '-') && last == p && p + 1 < n
          && (Chars.isDigit(text.charAt(p + 1)) || text.charAt(p + 1) == '(')) {
        p++;
      } else {
        break;
      }
    }
    if (last < 0) {
      return -1;
    }
    return extensionEnd(text, last);
  }

  private static int extensionEnd(String text, int at) {
    int p = at;
    int n = text.length();
    if (p < n && text.charAt(p) == ' ') {
      p++;
    }
    if (text.startsWith("ext.", p)) {
      p += 4;
    } else if (text.startsWith("ext", p)) {
      p += 3;
    } else if (p < n && text.charAt(p) == 'x') {
      p++;
    } else {
      return at;
    }
    if (p < n && text.charAt(p) == ' ') {
      p++;
    }
    int d = p;
    while (p < n && p - d < 6 && Chars.isDigit(text.charAt(p))) {
      p++;
    }
    return p > d ? p : at;
  }

  private static String withoutExtension(String candidate) {
    int x = candidate.indexOf('x');
    return x < 0 ? candidate : candidate.substring(0, x);
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
      if (CODE_GROUP.matcher(group).matches()) {
        return true;
      }
      i = s;
    }
    return false;
  }
}
