package dev.aigis.core.guard.pii;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.List;

/**
 * PEM private keys ({@code -----BEGIN RSA PRIVATE KEY-----}, {@code OPENSSH}, {@code ENCRYPTED},
 * ...) through their END line. A BEGIN line without an END reaches to the end of the text: a
 * truncated key is still a secret.
 */
final class PrivateKeyRecognizer implements Recognizer {

  static final Pattern BEGIN = Pattern.compile("-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----");
  static final Pattern END = Pattern.compile("-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----");

  @Override
  public void find(String text, List<PiiMatch> out) {
    if (!text.contains("-----BEGIN ")) {
      return;
    }
    int from = 0;
    Matcher begin = BEGIN.matcher(text);
    Matcher end = END.matcher(text);
    while (from < text.length() && begin.find(from)) {
      int stop = end.find(begin.end()) ? end.end() : text.length();
      out.add(new PiiMatch(PiiEntity.PRIVATE_KEY, begin.start(), stop));
      from = stop;
    }
  }
}
