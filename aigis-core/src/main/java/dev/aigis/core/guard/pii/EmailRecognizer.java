package dev.aigis.core.guard.pii;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.List;

/** Addresses in the common ASCII form: a local part of up to 64 characters, a dotted domain. */
final class EmailRecognizer implements Recognizer {

  private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
  private static final Pattern EMAIL =
      Pattern.compile("[A-Za-z0-9._%+\\-]{1,64}@" + LABEL + "(?:\\." + LABEL + ")*\\.[A-Za-z]{2,24}");

  @Override
  public void find(String text, List<PiiMatch> out) {
    Matcher m = EMAIL.matcher(text);
    while (m.find()) {
      int start = m.start();
      while (text.charAt(start) == '.') { // a sentence's full stop before the address
        start++;
      }
      if (text.charAt(start) != '@' && (m.end() == text.length() || !Chars.isWordChar(text.charAt(m.end())))) {
        out.add(new PiiMatch(PiiEntity.EMAIL_ADDRESS, start, m.end()));
      }
    }
  }
}
