package dev.aigis.core.guard.pii;

import java.util.List;
import java.util.Locale;
import org.apache.commons.validator.routines.IBANValidator;

/**
 * IBANs, in one piece or in groups separated by single spaces, any case: the country's length and
 * format and the mod-97 check digits, by commons-validator's {@link IBANValidator}. The country
 * fixes the length, so a number followed by more words is cut at the right place.
 */
final class IbanRecognizer implements Recognizer {

  private static final IBANValidator VALIDATOR = IBANValidator.getInstance();

  @Override
  public void find(String text, List<PiiMatch> out) {
    for (int start = 0; start + 4 <= text.length(); start++) {
      if (!startsIban(text, start)) {
        continue;
      }
      String country = text.substring(start, start + 2).toUpperCase(Locale.ROOT);
      IBANValidator.Validator validator = VALIDATOR.getValidator(country);
      if (validator == null) {
        continue;
      }
      int end = collect(text, start, validator.getIbanLength());
      if (end < 0) {
        continue;
      }
      String compact = text.substring(start, end).replace(" ", "").toUpperCase(Locale.ROOT);
      if (VALIDATOR.isValid(compact)) {
        out.add(new PiiMatch(PiiEntity.IBAN_CODE, start, end));
        start = end - 1;
      }
    }
  }

  /** Two ASCII letters and two digits at a word's start: a scan, cheaper than RE2J here. */
  private static boolean startsIban(String text, int i) {
    return asciiLetter(text.charAt(i)) && asciiLetter(text.charAt(i + 1)) && Chars.isDigit(text.charAt(i + 2))
        && Chars.isDigit(text.charAt(i + 3)) && (i == 0 || !Chars.isWordChar(text.charAt(i - 1)));
  }

  private static boolean asciiLetter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  /** End of {@code length} letters and digits from {@code start}, single spaces allowed between. */
  private static int collect(String text, int start, int length) {
    int i = start;
    int n = 0;
    while (n < length) {
      if (i >= text.length()) {
        return -1;
      }
      char c = text.charAt(i);
      if (c < 128 && Character.isLetterOrDigit(c)) {
        n++;
        i++;
      } else if (c == ' ' && n > 0 && i + 1 < text.length() && text.charAt(i + 1) != ' ') {
        i++;
      } else {
        return -1;
      }
    }
    return i < text.length() && Chars.isWordChar(text.charAt(i)) ? -1 : i;
  }
}
